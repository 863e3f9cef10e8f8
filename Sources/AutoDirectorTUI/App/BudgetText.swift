import AutoDirectorCore

/// What the status line says of `FIBO_BUDGET` (SPEC §18): the command line's sentences, short
/// enough for one line of an 80-column terminal.
enum BudgetText {
    /// "Over budget: 4 calls would cost 0.16; 0.10 left today. Nothing was rendered." — nil
    /// when the render fits what today has left.
    static func refusal(_ budget: SpendGuard, _ estimate: RenderEstimate, nothing: String) -> String? {
        guard budget.refuses(estimate), let cost = estimate.cost else { return nil }
        let calls = estimate.calls
        return "Over budget: \(calls) call\(calls == 1 ? "" : "s") would cost \(ImagePrices.format(cost)); "
            + "\(ImagePrices.format(budget.remaining)) left today. \(nothing)"
    }

    /// "Stopped at the day's budget (0.48 of 0.50 spent); the rest waits queued."
    static func stopped(_ budget: SpendGuard) -> String {
        "Stopped at the day's budget (\(ImagePrices.format(budget.spent)) of \(ImagePrices.format(budget.limit)) spent); the rest waits queued."
    }
}
