// The only file of marathon_client/ that includes cpprest. Every cpprest (and Boost.Asio)
// exception is caught here and turned into a `TransportError`; nothing escapes to callers.

#include "marathon_client/cpprest_marathon_client.h"

#include <cpprest/http_client.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <mutex>

#include "common/strings.h"
#include "marathon_client/urls.h"

namespace ceph_planner::marathon {
namespace {

namespace http = web::http;
namespace client = web::http::client;

TransportError classify(const http::http_exception& e) {
  const std::error_code code = e.error_code();
  std::string what = e.what();
  if (code == std::errc::timed_out || code.value() == ETIMEDOUT) {
    return {TransportError::Kind::Timeout, what};
  }
  const int v = code.value();
  if (v == ECONNREFUSED || v == EHOSTUNREACH || v == ENETUNREACH || v == EADDRNOTAVAIL ||
      what.find("resolv") != std::string::npos) {
    return {TransportError::Kind::ConnectFailed, what};
  }
  return {TransportError::Kind::Failed, what};
}

class CppRestTransport final : public HttpTransport {
 public:
  explicit CppRestTransport(std::string caFile) : caFile_(std::move(caFile)) {}

  TransportResult send(const HttpCall& call) override {
    try {
      auto response = clientFor(call).request(makeRequest(call)).get();
      HttpReply reply = head(response);
      reply.body = response.extract_utf8string(/*ignore_content_type=*/true).get();
      return reply;
    } catch (const http::http_exception& e) {
      return classify(e);
    } catch (const pplx::task_canceled& e) {
      return TransportError{TransportError::Kind::Failed, "request cancelled"};
    } catch (const std::exception& e) {
      return TransportError{TransportError::Kind::Failed, e.what()};
    }
  }

  TransportResult stream(const HttpCall& call, const std::function<void(std::string_view)>& onData,
                         std::stop_token stop) override {
    pplx::cancellation_token_source cancel;
    std::stop_callback onStop(stop, [&cancel] { cancel.cancel(); });
    try {
      auto response = clientFor(call).request(makeRequest(call), cancel.get_token()).get();
      HttpReply reply = head(response);
      if (reply.status < 200 || reply.status > 299) {
        reply.body = response.extract_utf8string(true).get();
        return reply;
      }
      auto buffer = response.body().streambuf();
      std::vector<uint8_t> chunk(4096);
      while (!stop.stop_requested()) {
        // The body buffer completes a `getn(n)` only once n bytes are there (or the body ended),
        // so wait for one byte, then take whatever else has already arrived: events are passed
        // on as soon as they come, not when 4 KiB have piled up.
        size_t n = buffer.getn(chunk.data(), 1).get();
        if (n == 0) break;
        size_t available = buffer.in_avail();
        if (available > 0) {
          n += buffer.getn(chunk.data() + 1, std::min(available, chunk.size() - 1)).get();
        }
        onData(std::string_view(reinterpret_cast<const char*>(chunk.data()), n));
      }
      if (stop.stop_requested()) return TransportError{TransportError::Kind::Stopped, "stopped"};
      return reply;
    } catch (const http::http_exception& e) {
      if (stop.stop_requested()) return TransportError{TransportError::Kind::Stopped, "stopped"};
      return classify(e);
    } catch (const std::exception& e) {
      if (stop.stop_requested()) return TransportError{TransportError::Kind::Stopped, "stopped"};
      return TransportError{TransportError::Kind::Failed, e.what()};
    }
  }

 private:
  static HttpReply head(const http::http_response& response) {
    HttpReply reply;
    reply.status = response.status_code();
    for (const auto& [key, value] : response.headers()) reply.headers.emplace_back(key, value);
    return reply;
  }

  static http::http_request makeRequest(const HttpCall& call) {
    http::http_request request(call.method);
    std::string origin = originOf(call.url);
    std::string rest = call.url.substr(origin.size());
    request.set_request_uri(web::uri(rest.empty() ? "/" : rest));
    std::string contentType;
    for (const auto& [key, value] : call.headers) {
      if (toLower(key) == "content-type") {
        contentType = value;
      } else {
        request.headers().add(key, value);
      }
    }
    if (!call.body.empty()) {
      request.set_body(call.body, contentType.empty() ? "application/json" : contentType);
    }
    return request;
  }

  // One `http_client` per origin and timeout, reused so keep-alive connections are pooled.
  client::http_client& clientFor(const HttpCall& call) {
    std::string origin = originOf(call.url);
    std::string key = origin + "|" + std::to_string(call.timeout.count());
    std::lock_guard lock(mu_);
    auto it = clients_.find(key);
    if (it != clients_.end()) return *it->second;
    client::http_client_config config;
    config.set_timeout(std::chrono::milliseconds(call.timeout.count()));
    config.set_validate_certificates(true);
    config.set_max_redirects(0);  // HttpMarathonClient follows redirects itself.
    if (!caFile_.empty()) {
      std::string ca = caFile_;
      config.set_ssl_context_callback(
          [ca](boost::asio::ssl::context& context) { context.load_verify_file(ca); });
    }
    auto created = std::make_unique<client::http_client>(web::uri(origin), config);
    auto& ref = *created;
    clients_.emplace(key, std::move(created));
    return ref;
  }

  std::string caFile_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<client::http_client>> clients_;
};

}  // namespace

HttpTransportPtr makeCppRestTransport(const std::string& caFile) {
  return std::make_unique<CppRestTransport>(caFile);
}

CppRestMarathonClient::CppRestMarathonClient(MarathonClientOptions options,
                                             HttpTransportPtr transport)
    : HttpMarathonClient(std::move(options), std::move(transport)) {}

Result<std::unique_ptr<CppRestMarathonClient>> CppRestMarathonClient::create(
    MarathonClientOptions options) {
  if (auto status = validateOptions(options); !status) return status.error();
  if (!options.caFile.empty() && !std::ifstream(options.caFile)) {
    return makeError(ErrorCode::InvalidInput,
                     "cannot read ca file " + ceph_planner::quoted(options.caFile));
  }
  for (const auto& url : options.baseUrls) {
    try {
      web::uri parsed(url);
      if (parsed.host().empty()) throw web::uri_exception("no host");
    } catch (const std::exception&) {
      return makeError(ErrorCode::InvalidInput,
                       "invalid marathon url " + ceph_planner::quoted(url));
    }
  }
  auto transport = makeCppRestTransport(options.caFile);
  return std::unique_ptr<CppRestMarathonClient>(
      new CppRestMarathonClient(std::move(options), std::move(transport)));
}

}  // namespace ceph_planner::marathon
