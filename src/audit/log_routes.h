// HTTP routes for a tiled log and a witness (built only with src/http: ACCORD_AUDIT_HAVE_HTTP).
//
// AddLogRoutes serves a TileLog READ-ONLY under `prefix` (default "/log/"), per c2sp.org/tlog-tiles:
//   GET <prefix>checkpoint                 text/plain; charset=utf-8, Cache-Control: no-cache
//   GET <prefix>tile/<L>/<N>[.p/<W>]       application/octet-stream
//   GET <prefix>tile/entries/<N>[.p/<W>]   application/octet-stream
// Full tiles and bundles are immutable ("public, max-age=31536000, immutable"); partial ones are
// immutable in content but may be dropped once full, so they get "public, max-age=3600". Only
// canonical tlog-tiles paths of the committed tree are served: anything else (other spellings,
// "..", "log-state/...", widths no checkpoint had) is 404. HEAD works as GET without the body.
//
// AddWitnessRoutes serves c2sp.org/tlog-witness add-checkpoint for a Witness:
//   POST <prefix>add-checkpoint   (default prefix "/witness/")
//   200 cosignature line(s) | 400 bad request or old size | 403 no valid log signature |
//   404 unknown origin | 409 old size mismatch or same-size fork, body "<size>\n" with
//   Content-Type text/x.tlog.size | 422 inconsistent proof | 500 storage failure.
//
// Lifetime: the log / witness must outlive the router (handlers borrow them). Thread safety: the
// handlers are safe to run concurrently (TileLog and Witness are).
#ifndef ACCORD_AUDIT_LOG_ROUTES_H_
#define ACCORD_AUDIT_LOG_ROUTES_H_

#include <string>

#include "audit/tile_log.h"
#include "audit/witness.h"
#include "common/status.h"
#include "http/router.h"

namespace accord::audit {

inline constexpr char kDefaultLogPrefix[] = "/log/";
inline constexpr char kDefaultWitnessPrefix[] = "/witness/";
inline constexpr size_t kMaxAddCheckpointBody = 64 * 1024;

// `prefix` must start and end with '/'.
Status AddLogRoutes(http::Router& router, const TileLog& log, std::string prefix = kDefaultLogPrefix);
Status AddWitnessRoutes(http::Router& router, Witness& witness,
                        std::string prefix = kDefaultWitnessPrefix);

// The HTTP status tlog-witness assigns to a Witness::AddCheckpoint error.
int WitnessErrorStatus(const Status& status);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_LOG_ROUTES_H_
