/// A render refused before it started, as it would cost more than the budget left (SPEC §18);
/// the message says what it would make and what is left (`SpendGuard.refusal`).
public struct BudgetRefusal: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}
