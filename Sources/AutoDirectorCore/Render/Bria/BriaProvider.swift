import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Renders through Bria's API v2 (`../shared/reference/bria-api-v2.md`): submit the compiled
/// structured prompt as a JSON string with the seed and the nearest aspect ratio, record the
/// request id before polling, poll the status until it ends, download the image at once (its
/// URL expires) and hand back its bytes to be stored content-addressed.
///
/// A submit is sent again only when it is known not to have been accepted (refused with 429 or
/// 5xx, or never sent); when its answer was lost the render fails with that reason and is
/// re-submitted only by an explicit `retry`. Failures are classified for the retry policy of
/// the worker pool: later attempts of a render whose request id is known poll, never submit.
public final class BriaProvider: RenderProvider {
    public let name = "bria"
    public let canHang = true
    private let configuration: BriaConfiguration
    private let client: HTTPClient
    let submits: RateLimiter
    private let polls: RateLimiter
    /// Longest wait for one HTTP exchange. A whole render is bounded by the per-attempt timeout
    /// of `HashRenderer` (`RenderSettings.itemTimeout`), which every render goes through: a job's
    /// in the worker pool and a single shot's (`Engine.render(_:provider:settings:)`, the
    /// service's `POST /render/shot/sync`).
    private let exchangeTimeout: TimeAmount = .seconds(120)

    public init(configuration: BriaConfiguration) {
        self.configuration = configuration
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(connect: .seconds(10), read: .seconds(120))
        settings.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.connectionsPerHost)
        // A redirect could carry the api_token header to another host.
        settings.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        submits = RateLimiter(endpoint: "bria image/generate", perMinute: configuration.requestsPerMinute)
        polls = RateLimiter(endpoint: "bria status", perMinute: configuration.requestsPerMinute)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    public func render(_ request: RenderRequest) async throws -> RenderedImage {
        let journal = request.journal ?? SubmissionJournal(state: request.submission)
        let prompt = JSONWriter.compact(.object(request.prompt))
        let requestID: String
        switch journal.current {
        case .accepted(let id):
            requestID = id
        case .sending:
            throw RenderFailure(.terminal, """
                an earlier submit of this render got no answer, so Bria may have accepted (and billed) it; \
                it is not sent again automatically — `autodirector retry JOB` submits it again
                """)
        case .none:
            requestID = try await submit(request, prompt: prompt, journal: journal)
        }
        let status = try await poll(requestID, journal: journal, pacer: request.pacer)
        return try await download(status, requestID: requestID, request: request, prompt: prompt)
    }

    // MARK: Submit

    private func submit(_ request: RenderRequest, prompt: String, journal: SubmissionJournal) async throws -> String {
        let generation = GenerationParameters(member: request.specMember(GenerationParameters.key))
        let http = post(generation.endpoint, Self.submitBody(request, prompt: prompt, generation))

        try await submits.acquire(sharedBy: request.pacer)
        try await journal.record(.sending)
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            (response, bytes) = try await exchange(http, limit: 1 << 20)
        } catch {
            // Cancelled while sending: the journal still says "sending", so no later attempt
            // submits it blindly.
            if error is CancellationError { throw error }
            if Self.neverSent(error) {
                try await journal.record(.none)
                throw RenderFailure(.retryable(retryAfter: nil), "cannot reach Bria: \(describe(error))")
            }
            throw RenderFailure(.terminal, """
                the submit got no complete answer (\(describe(error))), so Bria may have accepted (and billed) it; \
                it is not sent again automatically — `autodirector retry JOB` submits it again
                """)
        }
        let code = Int(response.status.code)
        switch code {
        case 200..<300:
            guard let object = try? JSONParser.parse(bytes).objectValue,
                  let id = object["request_id"]?.stringValue, Self.isValidRequestID(id)
            else {
                throw RenderFailure(.terminal, """
                    Bria answered the submit with HTTP \(code) but no usable request_id (\(excerpt(bytes))); \
                    it may have been accepted, so it is not sent again automatically — `autodirector retry JOB` submits it again
                    """)
            }
            try await journal.record(.accepted(requestID: id))
            return id
        default:
            // Refused: nothing was accepted, so another submit is safe.
            try await journal.record(.none)
            throw failure(code: code, reason: response.status.reasonPhrase, body: bytes, headers: response.headers, during: "submit")
        }
    }

    /// A POST of JSON to one of the API's endpoints, with the token.
    func post(_ path: String, _ body: JSONObject) -> HTTPClientRequest {
        var http = HTTPClientRequest(url: configuration.base + path)
        http.method = .POST
        http.headers.add(name: "api_token", value: configuration.token.value)
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: "application/json")
        http.body = .bytes(ByteBuffer(string: JSONWriter.compact(.object(body))))
        return http
    }

    /// What a render asks for: the structured prompt as a JSON string, the seed, the native
    /// aspect ratio of `output`, and the spec's generation parameters (Bria's defaults where
    /// the spec sets none, but always a negative prompt: FIBO's photographic one when unset).
    static func submitBody(_ request: RenderRequest, prompt: String, _ generation: GenerationParameters) -> JSONObject {
        let output = request.specMember("output")
        let (width, height) = (output?["width"]?.numberValue ?? 1, output?["height"]?.numberValue ?? 1)
        // A version stored before sizes were checked at plan time goes as its nearest ratio.
        let ratio = AspectRatio.of(width: width, height: height)?.name ?? AspectRatio.nearest(width: width, height: height)
        var body: JSONObject = [
            "structured_prompt": .string(prompt), "seed": .number(Double(request.seed)), "aspect_ratio": .string(ratio),
            "resolution": .string(generation.resolution.rawValue), "negative_prompt": .string(generation.sentNegativePrompt),
            "model_version": "FIBO", "sync": false,
        ]
        if let steps = generation.stepsNum { body["steps_num"] = .number(Double(steps)) }
        if let guidance = generation.guidanceScale { body["guidance_scale"] = .number(guidance) }
        return body
    }

    // MARK: Poll

    /// Polls until the request ends; returns the status object of a COMPLETED request.
    func poll(_ requestID: String, journal: SubmissionJournal, pacer: (any RequestPacer)?) async throws -> JSONObject {
        var first = true
        while true {
            if !first, configuration.pollInterval > 0 { try await Task.sleep(for: .seconds(configuration.pollInterval)) }
            first = false
            var http = HTTPClientRequest(url: configuration.base + "/status/" + requestID)
            http.method = .GET
            http.headers.add(name: "api_token", value: configuration.token.value)
            http.headers.add(name: "Accept", value: "application/json")
            try await polls.acquire(sharedBy: pacer)
            let response: HTTPClientResponse
            let bytes: [UInt8]
            do {
                (response, bytes) = try await exchange(http, limit: 4 << 20)
            } catch {
                if error is CancellationError { throw error }
                // Polling is safe to repeat.
                throw RenderFailure(.retryable(retryAfter: nil), "status poll of request \(requestID) failed: \(describe(error))")
            }
            let code = Int(response.status.code)
            guard code == 200 else {
                if code == 404 {
                    throw RenderFailure(.terminal, "Bria no longer knows request \(requestID) (HTTP 404: unknown or expired)")
                }
                throw failure(code: code, reason: response.status.reasonPhrase, body: bytes, headers: response.headers, during: "status poll of request \(requestID)")
            }
            guard let object = try? JSONParser.parse(bytes).objectValue, let status = object["status"]?.stringValue else {
                throw RenderFailure(.retryable(retryAfter: nil), "status of request \(requestID) was not understood (\(excerpt(bytes)))")
            }
            switch status.uppercased() {
            case "COMPLETED":
                return object
            case "IN_PROGRESS", "PENDING", "QUEUED":
                continue
            case "ERROR":
                let error = object["error"]
                let errorCode = error?["code"]?.numberValue.map { Int($0) }
                let message = [error?["message"]?.stringValue, error?["details"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
                let text = "Bria ended request \(requestID) with ERROR\(errorCode.map { " \($0)" } ?? "")\(message.isEmpty ? "" : ": \(clean(message))")"
                if errorCode == 422 { throw RenderFailure(.blocked, text) }
                if let errorCode, errorCode == 429 || errorCode >= 500 {
                    // The request failed for good on Bria's side: a new submit cannot duplicate it.
                    try await journal.record(.none)
                    throw RenderFailure(.retryable(retryAfter: nil), text)
                }
                throw RenderFailure(.terminal, text)
            case "UNKNOWN":
                throw RenderFailure(.retryable(retryAfter: nil), "Bria reported status UNKNOWN for request \(requestID)")
            default:
                throw RenderFailure(.retryable(retryAfter: nil), "Bria reported an unexpected status \(TextSanitizer.quoted(status)) for request \(requestID)")
            }
        }
    }

    // MARK: Download

    private func download(_ status: JSONObject, requestID: String, request: RenderRequest, prompt: String) async throws -> RenderedImage {
        let result = status["result"]
        guard let link = result?["image_url"]?.stringValue, let url = URL(string: link),
              ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else {
            throw RenderFailure(.terminal, "Bria completed request \(requestID) without a usable image_url")
        }
        // A pre-signed URL on a storage host: the api_token is not sent there.
        var http = HTTPClientRequest(url: link)
        http.method = .GET
        let bytes: [UInt8]
        let response: HTTPClientResponse
        do {
            (response, bytes) = try await exchange(http, limit: configuration.maxImageBytes)
        } catch {
            if error is CancellationError { throw error }
            throw RenderFailure(.retryable(retryAfter: nil), "download of the image of request \(requestID) failed: \(describe(error))")
        }
        let code = Int(response.status.code)
        guard code == 200 else {
            let expired = [403, 404, 410].contains(code)
            throw RenderFailure(
                .retryable(retryAfter: nil),
                "download of the image of request \(requestID) failed with HTTP \(code)\(expired ? " (the URL expired or is gone)" : "")")
        }
        let image: PNGCodec.Image
        do { image = try PNGCodec.decode(bytes) } catch {
            throw RenderFailure(.retryable(retryAfter: nil), "the image of request \(requestID) is not a complete PNG (\(bytes.count) bytes: \(error))")
        }
        var kept = status
        if var result = kept["result"]?.objectValue {
            // The URL expires and is a credential of sorts; the bytes are what is kept.
            result["image_url"] = nil
            kept["result"] = .object(result)
        }
        let metadata: JSONObject = [
            "provider": "bria", "request_id": .string(requestID), "seed": .number(Double(request.seed)),
            "model_version": "FIBO", "model": .string(GenerationParameters(member: request.specMember(GenerationParameters.key)).model.rawValue),
            "status_response": (try? JSONParser.parse(clean(JSONWriter.compact(.object(kept))))) ?? .null,
        ]
        return RenderedImage(bytes: bytes, mime: "image/png", width: image.width, height: image.height, metadata: metadata, sentPrompt: prompt)
    }

    // MARK: Errors

    /// A failure for an HTTP error answer: 422 is a blocked outcome, 429 and 5xx are worth
    /// another attempt (after Retry-After when given), any other code is final.
    func failure(code: Int, reason: String, body: [UInt8], headers: HTTPHeaders, during: String) -> RenderFailure {
        let detail = Self.message(in: body, besides: reason).map(clean) ?? (body.isEmpty ? reason : excerpt(body))
        let message = "Bria refused the \(during) (HTTP \(code)): \(detail)"
        switch code {
        case 422: return RenderFailure(.blocked, message)
        case 429: return RenderFailure(.retryable(retryAfter: headers.first(name: "Retry-After").flatMap(Self.retryAfter)), message)
        case 500...599: return RenderFailure(.retryable(retryAfter: headers.first(name: "Retry-After").flatMap(Self.retryAfter)), message)
        default: return RenderFailure(.terminal, message)
        }
    }

    /// Seconds from a Retry-After header: delta-seconds (HTTP dates are rare here and ignored).
    static func retryAfter(_ text: String) -> Double? {
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite else { return nil }
        return seconds
    }

    /// The human part of an error body, when it is JSON of a known shape, leaving out what
    /// only repeats the HTTP reason phrase.
    static func message(in body: [UInt8], besides reason: String = "") -> String? {
        guard let object = try? JSONParser.parse(body).objectValue else { return nil }
        let error = object["error"]
        let candidates = [
            object["message"]?.stringValue, object["detail"]?.stringValue, error?.stringValue,
            error?["message"]?.stringValue, error?["details"]?.stringValue,
        ]
        let parts = candidates.compactMap { $0 }.filter { !$0.isEmpty && $0.lowercased() != reason.lowercased() }
        return parts.isEmpty ? nil : parts.joined(separator: ": ")
    }

    /// Request ids go into a URL path: letters, digits and `-_.` only.
    static func isValidRequestID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 200 && id.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0) }
    }

    /// A connection that failed before anything was written: the submit never left.
    static func neverSent(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout || error == .getConnectionFromPoolTimeout { return true }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) { return true }
        return false
    }

    func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "empty body" }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return "body: \(clean(text))\(body.count > 200 ? "…" : "")"
    }

    /// Network text made safe to show and store: visible characters only, no token.
    func clean(_ text: String) -> String {
        configuration.token.redact(TextSanitizer.visible(text))
    }

    func describe(_ error: any Error) -> String {
        clean(String(describing: error))
    }

    /// One HTTP exchange with its whole body (at most `limit` bytes). A cancelled render
    /// surfaces as `CancellationError`, whatever the client reported.
    func exchange(_ request: HTTPClientRequest, limit: Int) async throws -> (HTTPClientResponse, [UInt8]) {
        do {
            let response = try await client.execute(request, timeout: exchangeTimeout)
            let buffer = try await response.body.collect(upTo: limit)
            return (response, Array(buffer.readableBytesView))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}
