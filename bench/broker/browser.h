// Browser: what the broker benchmark needs of a web browser, on top of http::HttpClient: a cookie
// jar per origin (name=value only; paths and expiry beyond Max-Age=0 are ignored, since one
// Browser lives for one login), GET and form POST without following redirects, and reading a
// hidden field out of a server-rendered page.
//
// Thread safety: one Browser per login and thread; the HttpClient it borrows is shared.
#ifndef ACCORD_BENCH_BROKER_BROWSER_H_
#define ACCORD_BENCH_BROKER_BROWSER_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "http/client.h"
#include "http/form.h"
#include "http/response.h"

namespace accord::bench {

// "http://127.0.0.1:8080/a?b" -> "http://127.0.0.1:8080".
std::string OriginOf(std::string_view url);
// The decoded query parameters of an absolute URL (empty without a query).
Result<http::Params> QueryOf(std::string_view url);
// The value of <input name="NAME" value="..."> (HTML entities &amp; &quot; &#39; &lt; &gt;
// decoded); NotFound when the page has no such field.
Result<std::string> HiddenField(std::string_view html, std::string_view name);

class Browser {
 public:
  explicit Browser(const http::HttpClient& client) : client_(client) {}

  Result<http::Response> Get(const std::string& url);
  Result<http::Response> Post(const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& form);

 private:
  Result<http::Response> Send(http::ClientRequest request);
  void Keep(const std::string& origin, const http::Response& response);

  const http::HttpClient& client_;
  std::map<std::string, std::map<std::string, std::string>> jar_;  // origin -> name -> value
};

}  // namespace accord::bench

#endif  // ACCORD_BENCH_BROKER_BROWSER_H_
