/// What one image costs, by model and resolution (`FIBO_PRICE_PER_IMAGE`, SPEC §18):
/// `0.04` for every image, or entries `standard=0.04, lite=0.02, standard/4MP=0.08`; the most
/// specific entry wins (model and resolution, then model, then the bare price).
public struct ImagePrices: Sendable, Equatable {
    public var fallback: Double?
    /// By `model` or `model/resolution`.
    public var entries: [String: Double]

    public init(fallback: Double? = nil, entries: [String: Double] = [:]) {
        (self.fallback, self.entries) = (fallback, entries)
    }

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws {
        var fallback: Double?
        var entries: [String: Double] = [:]
        let models = GenerationParameters.Model.allCases.map(\.rawValue)
        let resolutions = GenerationParameters.Resolution.allCases.map(\.rawValue)
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let sides = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let price = Double(sides.last ?? ""), price.isFinite, price >= 0 else {
                throw Problem(description: "FIBO_PRICE_PER_IMAGE: \(TextSanitizer.quoted(part)) has no price (a number, 0 or more).")
            }
            if sides.count == 1 {
                fallback = price
                continue
            }
            let key = sides[0]
            let named = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard models.contains(named[0]), named.count == 1 || resolutions.contains(named[1]) else {
                throw Problem(description: """
                    FIBO_PRICE_PER_IMAGE: \(TextSanitizer.quoted(key)) is not a model (\(models.joined(separator: ", "))) \
                    or model/resolution (\(resolutions.joined(separator: ", ")))
                    """)
            }
            entries[key] = price
        }
        guard fallback != nil || !entries.isEmpty else { throw Problem(description: "FIBO_PRICE_PER_IMAGE is empty.") }
        self.init(fallback: fallback, entries: entries)
    }

    /// The price of one image with these parameters; nil when none is configured for them.
    public func price(of parameters: GenerationParameters) -> Double? {
        let model = parameters.model.rawValue
        return entries["\(model)/\(parameters.resolution.rawValue)"] ?? entries[model] ?? fallback
    }

    /// `12.40`: amounts as operators read them (no currency is assumed).
    public static func format(_ amount: Double) -> String {
        let cents = (amount * 100).rounded()
        if amount > 0 && cents == 0 { return String(format: "%.4f", amount) }
        return String(format: "%.2f", cents / 100)
    }
}
