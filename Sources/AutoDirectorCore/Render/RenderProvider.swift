/// What a provider is asked to render: the stored spec, its compiled FIBO prompt and its seed
/// (SPEC §7).
public struct RenderRequest: Sendable {
    public var shotID: String
    public var version: Int
    public var hash: String
    /// Read-only: a spec kept in parts takes its seed from here.
    public private(set) var seed: UInt32
    /// The key of the spec's look (see `SpecParts`) when known: renders that depend only on the
    /// look may be shared between shots with the same look.
    public var lookKey: String?
    /// What a remote provider was told about this spec before (a crash may have interrupted it).
    public var submission: SubmissionJournal.State = .none
    /// Where a remote provider records its submissions; set by the worker pool.
    public var journal: SubmissionJournal?
    /// The pacing a remote provider's rate limits share with every render box of a shared
    /// project; nil: the provider paces this process alone. Set by the worker pool.
    public var pacer: (any RequestPacer)?
    /// The job item this request renders (`job_items.id`), for the worker pool.
    var jobItemID: Int64 = 0
    /// The claim's attempt number when the item was claimed under a lease (a shared project's
    /// render queue, `RenderLeases`): every later write about it must still hold that lease.
    var leaseAttempt: Int64?

    /// The spec whole, or as its identity and its look (shared by every request with that look),
    /// joined only when a provider asks for it: a render that depends on the look alone never
    /// builds 100k specs.
    private enum Parts: Sendable {
        case whole(JSONObject)
        case split(identity: JSONObject, look: JSONObject)
    }

    private var parts: Parts

    public init(shotID: String, version: Int, hash: String, spec: JSONObject, seed: UInt32, lookKey: String? = nil) {
        self.shotID = shotID
        self.version = version
        self.hash = hash
        self.parts = .whole(spec)
        self.seed = seed
        self.lookKey = lookKey
    }

    /// A request for a spec stored in parts (see `SpecParts`).
    init(shotID: String, version: Int, hash: String, identity: JSONObject, look: JSONObject, seed: UInt32, lookKey: String?) {
        self.shotID = shotID
        self.version = version
        self.hash = hash
        self.parts = .split(identity: identity, look: look)
        self.seed = seed
        self.lookKey = lookKey
    }

    /// The whole spec.
    public var spec: JSONObject {
        switch parts {
        case .whole(let spec): return spec
        case .split(let identity, let look): return SpecParts.join(identity: identity, look: look, seed: seed, readable: false)
        }
    }

    /// One top-level member of the spec, read without building the whole spec.
    public func specMember(_ key: String) -> JSONValue? {
        switch parts {
        case .whole(let spec): return spec[key]
        case .split(let identity, let look):
            if key == "seed" { return .number(Double(seed)) }
            return SpecParts.identityKeys.contains(key) ? identity[key] : look[key]
        }
    }

    /// The FIBO structured prompt for this spec, compiled on demand (the mock provider never
    /// needs it; compiling 100k prompts it would not use is wasted work).
    public var prompt: JSONObject {
        StructuredPrompt.forSpec(spec)
    }
}

/// What a provider returns: the image and what it says about it.
public struct RenderedImage: Sendable {
    public var bytes: [UInt8]
    public var mime: String
    public var width: Int
    public var height: Int
    /// Provider facts worth keeping (request id, model, sizes), never credentials.
    public var metadata: JSONObject
    /// The structured prompt text the provider was sent, when it used one.
    public var sentPrompt: String?
    /// The SHA-256 of `bytes` when the provider already knows it (it is computed otherwise).
    public var sha256: String?

    public init(bytes: [UInt8], mime: String, width: Int, height: Int, metadata: JSONObject, sentPrompt: String? = nil, sha256: String? = nil) {
        self.sha256 = sha256
        self.bytes = bytes
        self.mime = mime
        self.width = width
        self.height = height
        self.metadata = metadata
        self.sentPrompt = sentPrompt
    }
}

/// A render backend: `mock` (offline) or `bria` (Bria API v2). Providers throw `RenderFailure`
/// to say whether a failure is worth retrying.
public protocol RenderProvider: Sendable {
    var name: String { get }
    /// Whether an attempt can hang (a network call) and so needs a timeout; an in-process
    /// provider that always returns promptly skips the timer.
    var canHang: Bool { get }
    func render(_ request: RenderRequest) async throws -> RenderedImage
    /// Releases what the provider holds (connections); called once after the last render.
    func shutdown() async
}

extension RenderProvider {
    public func shutdown() async {}
}
