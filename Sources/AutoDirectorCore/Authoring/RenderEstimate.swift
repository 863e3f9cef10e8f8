/// What a render will ask of the provider before it starts (SPEC §18): the calls it makes — one
/// per distinct spec hash not rendered yet, whether newly queued or already waiting in a job —
/// and what they cost at the configured prices.
public struct RenderEstimate: Sendable, Equatable {
    /// Versions the render brings to an image (new ones and ones already waiting).
    public var versions: Int
    /// Versions whose image exists already (not sent).
    public var cached: Int
    /// Provider calls, by generation parameters (`GenerationParameters.priceKey`).
    public var callsByKind: [String: Int]
    /// The cost at the prices given; nil without prices, or when a kind has none.
    public var cost: Double?

    public var calls: Int { callsByKind.values.reduce(0, +) }

    /// `12 provider calls (3 cached), cost 0.48`.
    public var sentence: String {
        var text = "\(calls) provider call\(calls == 1 ? "" : "s")"
        if cached > 0 { text += " (\(cached) cached)" }
        if callsByKind.count > 1 || callsByKind.keys.contains(where: { $0 != GenerationParameters().priceKey }) {
            text += " — " + callsByKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        if let cost { text += ", cost \(ImagePrices.format(cost))" }
        return text
    }
}
