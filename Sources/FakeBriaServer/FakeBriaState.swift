import AutoDirectorCore
import Foundation
import Synchronization

/// An HTTP answer of the fake server.
struct FakeResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    var delay: Duration = .zero

    static func json(_ status: Int, _ value: JSONValue, delay: Duration = .zero) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(JSONWriter.compact(value).utf8), delay: delay)
    }
}

/// What the fake server knows and decides: requests, queued faults and counters. The HTTP
/// layer hands it each request and writes back what it answers.
final class FakeBriaState: Sendable {
    private struct Request {
        var seed: Int
        var submitted: ContinuousClock.Instant
        var fault: FakeBriaFault?
        /// A prompt-model request's answer (its result is this structured prompt, not an image).
        var structuredPrompt: String?
        /// A render's structured prompt as sent, which its result names (as Bria's does).
        var sentPrompt: String?
    }

    private struct State {
        var requests: [String: Request] = [:]
        var faults: [FakeBriaFault] = []
        var nextID = 1
        var counters = FakeBriaServer.Counters()
        /// The structured prompt of every accepted submit, in arrival order (as Bria logs them).
        var prompts: [String] = []
        /// Accepted (billed) submits by what was asked for: see `FakeBriaServer.paidSubmits`.
        var paid: [String: Int] = [:]
        /// Every request body the server read on a POST, with its path, in arrival order.
        var bodies: [(path: String, body: JSONObject)] = []
    }

    let token: String
    let options: FakeBriaServer.Options
    private let state = Mutex(State())
    private let baseURL = Mutex("")

    init(token: String, options: FakeBriaServer.Options) {
        self.token = token
        self.options = options
    }

    func setBase(_ url: String) { baseURL.withLock { $0 = url } }

    func enqueue(_ faults: [FakeBriaFault]) { state.withLock { $0.faults.append(contentsOf: faults) } }

    var counters: FakeBriaServer.Counters { state.withLock { $0.counters } }

    var prompts: [String] { state.withLock { $0.prompts } }

    var paid: [String: Int] { state.withLock { $0.paid } }

    var bodies: [(path: String, body: JSONObject)] { state.withLock { $0.bodies } }

    /// What a paid submit asked for: the SHA-256 of its structured prompt's text, and its seed.
    static func paidKey(prompt: String, seed: Double) -> String {
        "\(SHA256Hex.digest(Array(prompt.utf8))) seed \(Int(seed))"
    }

    func respond(method: String, path: String, headers: [(String, String)], body: [UInt8]) -> FakeResponse {
        let suppliedToken = headers.first { $0.0.lowercased() == "api_token" }?.1
        if path.hasPrefix("/files/") {
            return file(String(path.dropFirst("/files/".count)), tokenSent: suppliedToken != nil)
        }
        guard suppliedToken == token else {
            state.withLock { $0.counters.unauthorized += 1 }
            return .json(401, ["message": "Unauthorized: missing or wrong api_token"])
        }
        if method == "POST", let object = try? JSONParser.parse(body).objectValue {
            state.withLock { $0.bodies.append((path, object)) }
        }
        switch (method, path) {
        case ("POST", "/v2/image/generate"), ("POST", "/v2/image/generate/lite"):
            return submit(body)
        case ("POST", "/v2/structured_prompt/generate"):
            return promptRequest(body)
        case ("GET", "/v2/_fake/paid-submits"):
            // For tests whose renderers are other processes: what was billed, by request.
            return .json(200, .object(JSONObject(paid.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(Double($0.value))) })))
        case ("GET", _) where path.hasPrefix("/v2/status/"):
            return status(String(path.dropFirst("/v2/status/".count)))
        default:
            return .json(404, ["message": "Not found"])
        }
    }

    private func submit(_ body: [UInt8]) -> FakeResponse {
        guard let object = try? JSONParser.parse(body).objectValue,
              let prompt = object["structured_prompt"]?.stringValue, (try? JSONParser.parse(prompt).objectValue) != nil,
              let seed = object["seed"]?.numberValue
        else {
            state.withLock { $0.counters.badRequests += 1 }
            return .json(400, ["message": "structured_prompt (a JSON string) and seed are required"])
        }
        let base = baseURL.withLock { $0 }
        return state.withLock { state in
            state.counters.submits += 1
            state.prompts.append(prompt)
            let fault = state.faults.isEmpty ? nil : state.faults.removeFirst()
            switch fault {
            case .rateLimited(let retryAfter)?:
                var response = FakeResponse.json(429, ["message": "Too Many Requests"])
                if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
                return response
            case .serverError(let code)?:
                return FakeResponse(status: code, headers: [("Content-Type", "text/html")], body: Array("<html>Bad gateway</html>".utf8))
            case .moderation?:
                return .json(422, ["error": ["code": 422, "message": "Unprocessable Entity", "details": "Prompt was blocked by content moderation"]])
            default:
                break
            }
            let id = String(format: "req-%06d", state.nextID)
            state.nextID += 1
            state.requests[id] = Request(seed: Int(seed), submitted: .now, fault: fault, sentPrompt: prompt)
            state.counters.accepted += 1
            state.paid[Self.paidKey(prompt: prompt, seed: seed), default: 0] += 1
            if fault == .malformedSubmit { return FakeResponse(status: 202, body: Array("{\"request_id\": ".utf8), delay: options.latency) }
            var delay = options.latency
            if case .slowSubmit(let milliseconds)? = fault { delay += .milliseconds(milliseconds) }
            return .json(202, ["request_id": .string(id), "status_url": .string("\(base)/status/\(id)")], delay: delay)
        }
    }

    /// `/structured_prompt/generate`: words, a picture (base64 in `images`) or a structured prompt
    /// with words, answered by the offline prompt model (`MockPromptModel`), asynchronously
    /// like a render, with the same faults.
    private func promptRequest(_ body: [UInt8]) -> FakeResponse {
        guard let object = try? JSONParser.parse(body).objectValue else {
            state.withLock { $0.counters.badRequests += 1 }
            return .json(400, ["message": "the body must be a JSON object"])
        }
        var request = PromptModelRequest(text: object["prompt"]?.stringValue)
        if let text = object["structured_prompt"]?.stringValue {
            guard let prompt = try? JSONParser.parse(text).objectValue else {
                state.withLock { $0.counters.badRequests += 1 }
                return .json(400, ["message": "structured_prompt must be a string of a JSON object"])
            }
            request.structuredPrompt = prompt
        }
        if let images = object["images"]?.arrayValue {
            guard images.count == 1, let encoded = images[0].stringValue, let data = Data(base64Encoded: encoded) else {
                state.withLock { $0.counters.badRequests += 1 }
                return .json(400, ["message": "images must hold exactly one base64-encoded image"])
            }
            request.image = Array(data)
        }
        if request.structuredPrompt != nil && request.text == nil {
            state.withLock { $0.counters.badRequests += 1 }
            return .json(400, ["message": "a structured_prompt is refined with a prompt"])
        }
        if request.text == nil && request.image == nil {
            state.withLock { $0.counters.badRequests += 1 }
            return .json(400, ["message": "prompt, images or structured_prompt is required"])
        }
        let answer = JSONWriter.compact(.object(MockPromptModel.answer(request)))
        let base = baseURL.withLock { $0 }
        return state.withLock { state in
            state.counters.promptRequests += 1
            let fault = state.faults.isEmpty ? nil : state.faults.removeFirst()
            switch fault {
            case .rateLimited(let retryAfter)?:
                var response = FakeResponse.json(429, ["message": "Too Many Requests"])
                if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
                return response
            case .serverError(let code)?:
                return FakeResponse(status: code, headers: [("Content-Type", "text/html")], body: Array("<html>Bad gateway</html>".utf8))
            case .moderation?:
                return .json(422, ["error": ["code": 422, "message": "Unprocessable Entity", "details": "Prompt was blocked by content moderation"]])
            case .malformedSubmit?:
                return FakeResponse(status: 202, body: Array("{\"request_id\": ".utf8), delay: options.latency)
            default:
                break
            }
            let id = String(format: "req-%06d", state.nextID)
            state.nextID += 1
            state.requests[id] = Request(seed: 0, submitted: .now, fault: fault, structuredPrompt: answer)
            var delay = options.latency
            if case .slowSubmit(let milliseconds)? = fault { delay += .milliseconds(milliseconds) }
            return .json(202, ["request_id": .string(id), "status_url": .string("\(base)/status/\(id)")], delay: delay)
        }
    }

    private func status(_ id: String) -> FakeResponse {
        let base = baseURL.withLock { $0 }
        return state.withLock { state in
            state.counters.polls += 1
            guard var request = state.requests[id] else { return .json(404, ["message": "Request not found"]) }
            defer { state.requests[id] = request }
            switch request.fault {
            case .statusError(let code)?:
                return .json(200, ["request_id": .string(id), "status": "ERROR", "error": ["code": .number(Double(code)), "message": "Render failed", "details": "injected"]])
            case .statusUnknown?:
                request.fault = nil
                return .json(200, ["request_id": .string(id), "status": "UNKNOWN"])
            case .statusServerError(let code)?:
                request.fault = nil
                return FakeResponse(status: code, body: Array("upstream error".utf8))
            case .malformedStatus?:
                request.fault = nil
                return FakeResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array("{\"status\": COMPLETED".utf8))
            default:
                break
            }
            if ContinuousClock.now - request.submitted < options.processingTime {
                return .json(200, ["request_id": .string(id), "status": "IN_PROGRESS"])
            }
            if let answer = request.structuredPrompt {
                return .json(200, ["request_id": .string(id), "status": "COMPLETED", "result": ["structured_prompt": .string(answer)]])
            }
            var seed = request.seed
            var prompt = request.sentPrompt ?? "{}"
            if request.fault == .drift, var drifted = try? JSONParser.parse(prompt).objectValue {
                seed += 1
                var lighting = drifted["lighting"]?.objectValue ?? JSONObject()
                lighting["direction"] = "from the left"
                drifted["lighting"] = .object(lighting)
                prompt = JSONWriter.compact(.object(drifted))
            }
            return .json(200, [
                "request_id": .string(id), "status": "COMPLETED",
                "result": [
                    "image_url": .string("\(base.replacingOccurrences(of: "/v2", with: ""))/files/\(id).png"), "seed": .number(Double(seed)),
                    "structured_prompt": .string(prompt), "prompt": .null, "refined_prompt": .null,
                ],
            ])
        }
    }

    private func file(_ name: String, tokenSent: Bool) -> FakeResponse {
        let id = name.hasSuffix(".png") ? String(name.dropLast(4)) : name
        let found: (Request, FakeBriaFault?)? = state.withLock { state in
            state.counters.downloads += 1
            if tokenSent { state.counters.tokenSentToFiles += 1 }
            guard var request = state.requests[id] else { return nil }
            let fault = request.fault
            if fault == .expiredImage || fault == .truncatedImage { request.fault = nil }
            state.requests[id] = request
            return (request, fault)
        }
        guard let (request, fault) = found else { return FakeResponse(status: 404, body: Array("NoSuchKey".utf8)) }
        if fault == .expiredImage { return FakeResponse(status: 404, body: Array("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".utf8)) }
        // A render that drifted was made with another seed: another picture.
        var bytes = Self.image(seed: request.seed + (fault == .drift ? 1 : 0), size: options.imageSize, noise: options.noise)
        if fault == .truncatedImage { bytes = Array(bytes.prefix(bytes.count / 2)) }
        return FakeResponse(status: 200, headers: [("Content-Type", "image/png")], body: bytes)
    }

    /// A PNG whose colours come from the seed: the same seed gives the same bytes. With `noise`
    /// a seeded xorshift sequence is added to every pixel.
    static func image(seed: Int, size: Int, noise: Bool = false) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: size * size * 3)
        let r = UInt8(truncatingIfNeeded: seed), g = UInt8(truncatingIfNeeded: seed >> 8), b = UInt8(truncatingIfNeeded: seed >> 16)
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 3
                rgb[i] = r &+ UInt8(truncatingIfNeeded: x)
                rgb[i + 1] = g &+ UInt8(truncatingIfNeeded: y)
                rgb[i + 2] = b
                if noise {
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    rgb[i] &+= UInt8(truncatingIfNeeded: state)
                    rgb[i + 1] &+= UInt8(truncatingIfNeeded: state >> 8)
                    rgb[i + 2] &+= UInt8(truncatingIfNeeded: state >> 16)
                }
            }
        }
        return (try? PNGCodec.encode(PNGCodec.Image(width: size, height: size, rgb: rgb))) ?? []
    }
}
