import AutoDirectorCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A stand-in for Bria's API v2 (`POST /v2/image/generate` and `/v2/image/generate/lite`,
/// `POST /v2/structured_prompt/generate`, `GET /v2/status/{id}`, and the image files its
/// results point to), on 127.0.0.1 and an ephemeral port, with faults that
/// tests queue (`FakeBriaFault`). Renders finish `processingTime` after their submit; submits
/// are answered after `latency`.
public final class FakeBriaServer: Sendable {
    public struct Options: Sendable {
        /// How long every submit takes to be answered.
        public var latency: Duration
        /// How long a request reports IN_PROGRESS after its submit.
        public var processingTime: Duration
        /// Side of the square PNG served as each result.
        public var imageSize: Int
        /// Seeded noise in every pixel, so the PNG hardly compresses (a 720-pixel image is
        /// about 1.5 MB, as real renders are): for measuring what large images cost.
        public var noise: Bool

        public init(latency: Duration = .zero, processingTime: Duration = .zero, imageSize: Int = 16, noise: Bool = false) {
            self.latency = latency
            self.processingTime = processingTime
            self.imageSize = max(1, imageSize)
            self.noise = noise
        }
    }

    /// What the server saw.
    public struct Counters: Sendable, Equatable {
        public var submits = 0
        public var accepted = 0
        public var polls = 0
        public var downloads = 0
        public var unauthorized = 0
        public var badRequests = 0
        /// Requests to the prompt model (`/structured_prompt/generate`).
        public var promptRequests = 0
        /// Downloads that carried an api_token header (the token must stay with the API).
        public var tokenSentToFiles = 0
    }

    private let state: FakeBriaState
    private let channel: any Channel

    /// `http://HOST:PORT/v2`, to use as `FIBO_API_BASE`.
    public let baseURL: String

    /// `host`: the local address to listen on (127.0.0.1; a test that puts a client in a network
    /// namespace gives its link's address).
    public static func start(token: String, options: Options = Options(), host: String = "127.0.0.1") async throws -> FakeBriaServer {
        let state = FakeBriaState(token: token, options: options)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeBriaHandler(state: state))
                }
            }
            .bind(host: host, port: 0)
            .get()
        return FakeBriaServer(state: state, channel: channel, host: host)
    }

    private init(state: FakeBriaState, channel: any Channel, host: String) {
        self.state = state
        self.channel = channel
        baseURL = "http://\(host):\(channel.localAddress?.port ?? 0)/v2"
        state.setBase(baseURL)
    }

    /// Queues faults; each submit takes the next one.
    public func inject(_ faults: [FakeBriaFault]) { state.enqueue(faults) }

    public var counters: Counters { state.counters }

    /// The `structured_prompt` text of every submit the server read, in order: what reached
    /// "Bria", for tests that check what the provider sends.
    public var submittedPrompts: [String] { state.prompts }

    /// Every JSON body the server read on a POST, with its path (`/v2/image/generate/lite` …),
    /// in arrival order: what the provider sent, field by field.
    public var postedBodies: [(path: String, body: JSONObject)] { state.bodies }

    /// Accepted submits — the ones Bria bills — counted by what they asked for (the SHA-256 of
    /// the structured prompt's text and the seed), so a test proves from the provider's side
    /// that nothing was paid for twice. Also served as JSON at `GET /v2/_fake/paid-submits`.
    public var paidSubmits: [String: Int] { state.paid }

    /// Paid submits beyond the first of each request: 0 unless something was paid for twice.
    public var duplicatePaidSubmits: Int { state.paid.values.reduce(0) { $0 + max(0, $1 - 1) } }

    public func shutdown() async {
        try? await channel.close()
    }
}

/// One connection: gathers a request, asks the state for the answer, writes it (after its delay).
private final class FakeBriaHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: FakeBriaState
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: FakeBriaState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
            let response = state.respond(
                method: head.method.rawValue, path: path, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            let keepAlive = head.isKeepAlive
            if response.delay > .zero {
                let nanoseconds = response.delay.components.seconds * 1_000_000_000 + response.delay.components.attoseconds / 1_000_000_000
                context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
                    self.write(response, keepAlive: keepAlive, context: context)
                }
            } else {
                write(response, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func write(_ response: FakeResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
