#include "oidc/provider/jwt_peek.h"

#include "common/base64url.h"
#include "common/json.h"
#include "jose/limits.h"

namespace accord::oidc {

Result<boost::json::object> PeekUnverifiedSegment(std::string_view compact, int segment) {
  if (compact.size() > jose::kDefaultMaxTokenBytes) return InvalidArgument("token too large", "malformed");
  size_t first = compact.find('.');
  if (first == std::string_view::npos) return InvalidArgument("not a compact JWS", "malformed");
  size_t second = compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return InvalidArgument("not a compact JWS", "malformed");
  }
  std::string_view part =
      segment == 0 ? compact.substr(0, first) : compact.substr(first + 1, second - first - 1);
  auto decoded = Base64UrlDecode(part);
  if (!decoded.ok()) return InvalidArgument("bad base64url", "malformed");
  auto obj = ParseJsonObject(AsStringView(*decoded), JsonLimits{64 * 1024, 16, false});
  if (!obj.ok()) return InvalidArgument("segment is not a JSON object", "malformed");
  return std::move(*obj);
}

}  // namespace accord::oidc
