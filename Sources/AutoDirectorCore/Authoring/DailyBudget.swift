/// `FIBO_BUDGET` (SPEC §18): the most a project's provider calls may cost in a day (UTC), at
/// `prices`. Every process that renders — `render`, a `worker`, the TUI — takes today's part
/// of it as a `SpendGuard` before it sends anything.
public struct DailyBudget: Sendable, Equatable {
    public var limit: Double
    public var prices: ImagePrices

    public init(limit: Double, prices: ImagePrices) {
        self.limit = limit
        self.prices = prices
    }

    /// The amount `FIBO_BUDGET` gives, when set; a clear problem when it is not an amount.
    public static func limit(from environment: [String: String]) throws(ImagePrices.Problem) -> Double? {
        guard let text = environment["FIBO_BUDGET"], !text.isEmpty else { return nil }
        guard let amount = Double(text), amount >= 0, amount.isFinite else {
            throw ImagePrices.Problem(description: "FIBO_BUDGET must be an amount, 0 or more (got \(TextSanitizer.quoted(text))).")
        }
        return amount
    }
}

extension Engine {
    /// What `budget` leaves for the rest of today, given what today's billed renders cost.
    public func todaysGuard(_ budget: DailyBudget) throws -> SpendGuard {
        let spent = try spend(since: startOfToday, prices: budget.prices).amount ?? 0
        return SpendGuard(
            limit: budget.limit, prices: budget.prices, spent: spent,
            name: "FIBO_BUDGET \(ImagePrices.format(budget.limit)) a day, \(ImagePrices.format(spent)) spent today")
    }
}
