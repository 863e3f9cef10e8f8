/// How FIBO is asked to render a spec (SPEC §18): the spec's optional `generation` object. It is
/// part of the spec, so it is hashed (a spec without it hashes as before) and presets and rules
/// can set it (`generation.model: "lite"`); the aspect ratio comes from `output`.
public struct GenerationParameters: Sendable, Equatable {
    public enum Model: String, Sendable, CaseIterable {
        case standard, lite
    }

    public enum Resolution: String, Sendable, CaseIterable {
        case oneMP = "1MP", fourMP = "4MP"
    }

    public var model: Model = .standard
    public var resolution: Resolution = .oneMP
    /// Nil: FIBO's photographic default is sent (`photographicNegativePrompt`).
    public var negativePrompt: String?
    /// Nil: Bria's default (50; 8 for lite).
    public var stepsNum: Int?
    /// Nil: Bria's default (5).
    public var guidanceScale: Double?

    public static let key = "generation"
    public static let fields: Set<String> = ["model", "resolution", "negative_prompt", "steps_num", "guidance_scale"]
    /// Bria's open-source default negative prompt for photographs (reference/bria-api-v2.md).
    public static let photographicNegativePrompt = "{'style_medium':'digital illustration','artistic_style':'non-realistic'}"
    public static let steps = 1...100
    public static let guidance = 1.0...20.0
    public static let negativePromptLimit = 2000

    public init() {}

    /// The parameters of a spec (validated, so every field present is well-formed; anything else
    /// falls back to the default).
    public init(spec: JSONObject) {
        self.init(member: spec[Self.key])
    }

    /// The parameters from a spec's `generation` member.
    public init(member: JSONValue?) {
        guard let object = member?.objectValue else { return }
        model = object["model"]?.stringValue.flatMap(Model.init(rawValue:)) ?? .standard
        resolution = object["resolution"]?.stringValue.flatMap(Resolution.init(rawValue:)) ?? .oneMP
        negativePrompt = object["negative_prompt"]?.stringValue
        stepsNum = object["steps_num"]?.numberValue.map { Int($0) }
        guidanceScale = object["guidance_scale"]?.numberValue
    }

    /// The negative prompt sent to Bria.
    public var sentNegativePrompt: String { negativePrompt ?? Self.photographicNegativePrompt }

    /// The Bria endpoint that renders with this model.
    public var endpoint: String { model == .lite ? "/image/generate/lite" : "/image/generate" }

    /// `standard 1MP`, `lite 4MP`: how prices are named (`FIBO_PRICE_PER_IMAGE`).
    public var priceKey: String { "\(model.rawValue) \(resolution.rawValue)" }
}
