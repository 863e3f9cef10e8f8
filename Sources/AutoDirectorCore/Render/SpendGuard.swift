import Synchronization

/// A budget for provider calls (`--budget`, `FIBO_BUDGET`, SPEC §18): each render is admitted
/// before it is sent while its price still fits; the first that does not stops the job, which
/// waits queued to resume. Counted at admission, so a render in flight is paid for already.
public final class SpendGuard: Sendable {
    public let limit: Double
    public let prices: ImagePrices
    /// Which budget this is, for messages (`--budget 2.00`, `FIBO_BUDGET 10.00 a day`).
    public let name: String
    private let state: Mutex<(spent: Double, exhausted: Bool)>

    /// `spent`: what the budget's period has spent already (today's billed renders).
    public init(limit: Double, prices: ImagePrices, spent: Double = 0, name: String) {
        self.name = name
        self.limit = limit
        self.prices = prices
        state = Mutex((spent, false))
    }

    /// How many of these renders, in order, fit the budget; fewer than all stops the job.
    public func admit(_ parameters: [GenerationParameters]) -> Int {
        state.withLock { state in
            var admitted = 0
            for each in parameters {
                let price = prices.price(of: each) ?? 0
                guard !state.exhausted, state.spent + price <= limit + 1e-9 else {
                    state.exhausted = true
                    break
                }
                state.spent += price
                admitted += 1
            }
            return admitted
        }
    }

    /// Why a render that would make `estimate` may not start under this budget (nil: it fits):
    /// "`what` would make …, more than the budget allows (…). `nothing`".
    public func refusal(_ estimate: RenderEstimate, what: String = "This render", nothing: String = "Nothing was queued.") -> String? {
        guard refuses(estimate) else { return nil }
        return "\(what) would make \(estimate.sentence), more than the budget allows (\(name): \(ImagePrices.format(remaining)) left). \(nothing)"
    }

    /// Whether a render that would make `estimate` costs more than is left.
    public func refuses(_ estimate: RenderEstimate) -> Bool {
        guard let cost = estimate.cost else { return false }
        return cost > remaining + 1e-9
    }

    public var isExhausted: Bool { state.withLock { $0.exhausted } }
    public var spent: Double { state.withLock { $0.spent } }
    public var remaining: Double { max(0, limit - spent) }
}
