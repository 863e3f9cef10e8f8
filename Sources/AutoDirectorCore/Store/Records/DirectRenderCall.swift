/// A provider call made outside any job — a seed variant, serve's single render — recorded with
/// its image so that `metrics` and the budgets count it (SPEC §18).
public struct DirectRenderCall: Sendable, Equatable {
    /// The spec's generation member as compact JSON (nil: the defaults); it prices the call.
    public var generation: String?

    public init(generation: String?) { self.generation = generation }

    /// The call that renders `request`.
    init(rendering request: RenderRequest) {
        generation = request.specMember(GenerationParameters.key).map(JSONWriter.compact)
    }
}
