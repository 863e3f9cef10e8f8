import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// PUT, GET and HEAD of single objects in one bucket, signed with SigV4. Each request has a
/// deadline (`requestTimeout`; connecting gives up after 10 s, see `S3HTTPClient`); a request
/// whose answer was lost, or a 5xx / 429 / SlowDown one, is sent again up to `attempts` times in
/// all (every request here is idempotent: a key names its bytes), but not one that could not
/// connect or ran out its deadline: that would only wait as long again. Errors name the operation, `s3://bucket/key`, the endpoint and S3's error Code.
public final class S3ObjectClient: Sendable {
    public let configuration: S3Configuration
    private let clock: @Sendable () -> Date
    private let requestTimeout: TimeAmount
    private let maxObjectBytes: Int
    private let attempts: Int
    /// Requests sent, by method (HEAD, GET, PUT), each attempt counted: what a store cost.
    private let sent = Mutex<[String: Int]>([:])

    public init(
        configuration: S3Configuration, clock: @escaping @Sendable () -> Date = { Date() }, requestTimeout: TimeAmount = .seconds(60),
        maxObjectBytes: Int = 512 << 20, attempts: Int = 3
    ) {
        self.configuration = configuration
        self.clock = clock
        self.requestTimeout = requestTimeout
        self.maxObjectBytes = maxObjectBytes
        self.attempts = max(1, attempts)
    }

    /// The object's size, or nil when there is none under `key`.
    public func head(_ key: String) async throws -> Int? {
        let answer = try await exchange(.HEAD, key: key)
        switch answer.status {
        case 200: return answer.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
        case 404: return nil
        default: throw failure(.HEAD, key: key, answer)
        }
    }

    /// The object's bytes, or nil when the bucket has no object under `key`.
    public func get(_ key: String) async throws -> [UInt8]? {
        let answer = try await exchange(.GET, key: key)
        switch answer.status {
        case 200: return answer.body
        case 404 where S3ErrorBody.parse(answer.body).code != "NoSuchBucket": return nil
        default: throw failure(.GET, key: key, answer)
        }
    }

    /// Stores `bytes` under `key`; `sha256` is their hex digest, which S3 checks on arrival.
    public func put(_ key: String, bytes: [UInt8], sha256: String, contentType: String) async throws {
        let answer = try await exchange(.PUT, key: key, body: bytes, payloadSHA256: sha256, headers: [("content-type", contentType)])
        guard answer.status == 200 else { throw failure(.PUT, key: key, answer) }
    }

    /// Creates the bucket (tests, against a server of their own; a bucket for images is made
    /// by whoever runs the storage).
    func createBucket() async throws {
        let answer = try await exchange(.PUT, key: "")
        guard answer.status == 200 else { throw failure(.PUT, key: "", answer) }
    }

    /// How many requests of `method` (`"PUT"`) were sent.
    public func requestCount(_ method: String) -> Int { sent.withLock { $0[method] ?? 0 } }

    // MARK: Exchanges

    private struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    private func exchange(
        _ method: HTTPMethod, key: String, body: [UInt8]? = nil, payloadSHA256: String = SigV4Signer.emptyPayloadSHA256,
        headers: [(name: String, value: String)] = []
    ) async throws -> Answer {
        var attempt = 0
        while true {
            attempt += 1
            let answer: Answer
            do {
                answer = try await send(method, key: key, body: body, payloadSHA256: payloadSHA256, headers: headers)
            } catch let error as SigV4Error {
                throw S3Error(message: error.message)
            } catch {
                if error is CancellationError { throw error }
                guard attempt < attempts, !Self.waitedItsFill(error) else {
                    throw S3Error(
                        message: "could not \(method.rawValue) \(objectName(key)) at \(endpointName): \(describe(error))"
                            + " (tried \(attempt) time\(attempt == 1 ? "" : "s"))")
                }
                try await pause(before: attempt + 1)
                continue
            }
            let busy = answer.status >= 500 || answer.status == 429 || S3ErrorBody.parse(answer.body).code == "SlowDown"
            if busy, attempt < attempts {
                try await pause(before: attempt + 1)
                continue
            }
            return answer
        }
    }

    private func send(
        _ method: HTTPMethod, key: String, body: [UInt8]?, payloadSHA256: String, headers: [(name: String, value: String)]
    ) async throws -> Answer {
        let signature = try SigV4Signer.sign(
            method: method.rawValue, url: configuration.objectURL(key: key), headers: [("x-amz-content-sha256", payloadSHA256)] + headers,
            payloadSHA256: payloadSHA256, credentials: configuration.credentials, region: configuration.region, service: "s3", date: clock())
        var request = HTTPClientRequest(url: signature.url.absoluteString)
        request.method = method
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        sent.withLock { $0[method.rawValue, default: 0] += 1 }
        let response = try await S3HTTPClient.shared.execute(request, timeout: requestTimeout)
        let status = Int(response.status.code)
        // An error answer is read only as far as its Code and Message need.
        let limit = status == 200 ? maxObjectBytes : 64 * 1024
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw S3Error(message: "\(objectName(key)) is larger than \(limit) bytes; refusing to read it whole", status: status)
        }
        return Answer(status: status, headers: response.headers, body: Array(buffer.readableBytesView))
    }

    /// An error after which another attempt would only wait as long again: the connection pool
    /// already kept trying to connect until its timeout (a server that is down or unreachable),
    /// or the request's deadline passed.
    static func waitedItsFill(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout].contains(error)
        }
        if error is NIOConnectionError { return true }
        if let error = error as? IOError { return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) }
        return false
    }

    /// 0.2 s before the second attempt, 0.8 s before the third, …
    private func pause(before attempt: Int) async throws {
        try await Task.sleep(for: .milliseconds(200 << (2 * (attempt - 2))))
    }

    // MARK: Messages

    private var endpointName: String { configuration.endpoint?.absoluteString ?? "AWS (\(configuration.region))" }

    private func objectName(_ key: String) -> String { "s3://\(configuration.bucket)/\(key)" }

    private func failure(_ method: HTTPMethod, key: String, _ answer: Answer) -> S3Error {
        let (code, text) = S3ErrorBody.parse(answer.body)
        var message = "\(method.rawValue) \(objectName(key)) at \(endpointName) failed with HTTP \(answer.status)"
        if let code { message += " \(clean(code))" }
        if let text { message += ": \(clean(text))" }
        if let hint = S3Error.hint(code: code, status: answer.status) { message += " — \(hint)" }
        return S3Error(message: message, code: code, status: answer.status)
    }

    private func describe(_ error: any Error) -> String { clean(String(describing: error)) }

    /// Network text made safe to show: visible characters only, never a secret.
    private func clean(_ text: String) -> String {
        TextSanitizer.visible(configuration.credentials.redact(text), limit: 300)
    }
}
