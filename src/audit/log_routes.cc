#include "audit/log_routes.h"

#include "audit/tlog_tiles.h"
#include "http/response.h"

namespace accord::audit {
namespace {

constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kPartial[] = "public, max-age=3600";

bool GoodPrefix(const std::string& p) { return p.size() >= 1 && p.front() == '/' && p.back() == '/'; }

http::Response NotFoundResponse() { return http::ErrorResponse(404); }

http::Response Octets(Bytes data, const char* cache_control) {
  http::Response r;
  r.headers.Set("Content-Type", "application/octet-stream");
  r.headers.Set("Cache-Control", cache_control);
  r.body.assign(data.begin(), data.end());
  return r;
}

}  // namespace

Status AddLogRoutes(http::Router& router, const TileLog& log, std::string prefix) {
  if (!GoodPrefix(prefix)) return InvalidArgument("log prefix must start and end with '/'", "bad_config");
  const TileLog* l = &log;
  ACCORD_RETURN_IF_ERROR(router.Add("log_checkpoint", "GET", prefix + "checkpoint", [l](const http::Request&) {
    auto note = l->Checkpoint();
    if (!note.ok()) return NotFoundResponse();
    http::Response r = http::TextResponse(std::move(*note));
    r.headers.Set("Content-Type", "text/plain; charset=utf-8");
    r.headers.Set("Cache-Control", "no-cache");
    return r;
  }));
  const std::string tile_prefix = prefix + "tile/";
  const size_t strip = prefix.size();
  return router.AddPrefix("log_tile", "GET", tile_prefix, [l, strip](const http::Request& req) {
    const std::string_view path = std::string_view(req.path).substr(strip);
    auto id = ParseTilePath(path);
    if (!id.ok()) return NotFoundResponse();
    auto data = l->ReadPath(path);
    if (!data.ok()) {
      return data.status().code() == StatusCode::kNotFound || data.status().code() == StatusCode::kInvalidArgument
                 ? NotFoundResponse()
                 : http::ErrorResponse(500);
    }
    return Octets(std::move(*data), id->partial() ? kPartial : kImmutable);
  });
}

int WitnessErrorStatus(const Status& st) {
  const std::string_view reason = st.reason();
  if (reason == "unknown_log") return 404;
  if (reason == "bad_old_size" || reason == "bad_request" || reason == "too_large") return 400;
  if (reason == "old_size_mismatch" || reason == "fork_detected") return 409;
  if (reason == "inconsistent_checkpoint") return 422;
  // Any other refusal of the note itself: no signature by a trusted key (tlog-witness: 403).
  if (st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kInvalidArgument) return 403;
  return 500;
}

Status AddWitnessRoutes(http::Router& router, Witness& witness, std::string prefix) {
  if (!GoodPrefix(prefix)) return InvalidArgument("witness prefix must start and end with '/'", "bad_config");
  Witness* w = &witness;
  http::RouteOptions options;
  options.max_body_bytes = kMaxAddCheckpointBody;
  return router.Add(
      "witness_add_checkpoint", "POST", prefix + "add-checkpoint",
      [w](const http::Request& req) {
        uint64_t size = 0;
        auto lines = w->AddCheckpointRequest(req.body, &size);
        if (lines.ok()) {
          http::Response r = http::TextResponse(std::move(*lines));
          r.headers.Set("Cache-Control", "no-store");
          return r;
        }
        const int status = WitnessErrorStatus(lines.status());
        if (status == 409) {
          http::Response r = http::TextResponse(std::to_string(size) + "\n", 409);
          r.headers.Set("Content-Type", "text/x.tlog.size");
          return r;
        }
        return http::TextResponse(std::string(http::ReasonPhrase(status)) + "\n", status);
      },
      options);
}

}  // namespace accord::audit
