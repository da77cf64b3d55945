#include "http/filter.h"

#include <exception>

namespace accord::http {

Pipeline::Pipeline(const Router& router, std::vector<std::unique_ptr<Filter>> filters)
    : router_(router), filters_(std::move(filters)) {}

bool Pipeline::RunsInline(const Request& request) const {
  const Router::Match match = router_.Find(request.method, request.path);
  if (match.route == nullptr || match.route->options.inline_handler) return true;
  return match.route->options.inline_if && match.route->options.inline_if(request);
}

Response Pipeline::Handle(Request& request, std::chrono::steady_clock::time_point start) const {
  RequestContext ctx{request, router_.Find(request.method, request.path), start};
  Response response;
  size_t ran = 0;
  bool stopped = false;
  for (; ran < filters_.size(); ++ran) {
    if (filters_[ran]->OnRequest(ctx, &response) == FilterStatus::kStopIteration) {
      ++ran;
      stopped = true;
      break;
    }
  }
  if (!stopped) {
    switch (ctx.match.kind) {
      case Router::MatchKind::kFound:
        try {
          response = ctx.match.route->handler(request);
        } catch (const std::exception&) {
          response = ErrorResponse(500);
        } catch (...) {
          response = ErrorResponse(500);
        }
        break;
      case Router::MatchKind::kMethodNotAllowed:
        response = ErrorResponse(405);
        response.headers.Set("Allow", ctx.match.allow);
        break;
      case Router::MatchKind::kNotFound:
        response = ErrorResponse(404);
        break;
    }
  }
  for (size_t i = ran; i-- > 0;) filters_[i]->OnResponse(ctx, response);
  return response;
}

}  // namespace accord::http
