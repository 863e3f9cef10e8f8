/// Bounds on the work one patch action may do (SPEC §9). A JSON Patch `copy` shares structure,
/// so a few kilobytes of operations that copy a subtree into itself double the document at each
/// step: unbounded, a 7 KB patch ran for minutes and 10 KB would run for days. Every bound is
/// checked while the work is done, so a hostile patch is refused as soon as it crosses one.
public struct PatchLimits: Sendable, Equatable {
    /// Operations in one action: each JSON Patch operation, each dotted assignment, each merge patch.
    public var maxOperations: Int
    /// Values (objects, arrays and scalars, a shared subtree counted each time it appears) the
    /// patched spec may hold. Real specs hold a few hundred.
    public var maxValues: Int
    /// Values the patch may visit while it is applied: sizing what it adds, replaces, removes
    /// and tests. Bounds the work of a patch that stays small but churns.
    public var maxVisits: Int
    /// A backstop on the time one action may spend patching, whatever the counts say.
    public var timeBudget: Duration

    public init(maxOperations: Int, maxValues: Int, maxVisits: Int, timeBudget: Duration) {
        self.maxOperations = maxOperations
        self.maxValues = maxValues
        self.maxVisits = maxVisits
        self.timeBudget = timeBudget
    }

    public static let standard = PatchLimits(maxOperations: 1_000, maxValues: 100_000, maxVisits: 10_000_000, timeBudget: .seconds(2))

    /// The environment variables that change the limits, as README lists them.
    public static let operationsVariable = "AUTODIRECTOR_PATCH_MAX_OPERATIONS"
    public static let valuesVariable = "AUTODIRECTOR_PATCH_MAX_VALUES"
    public static let secondsVariable = "AUTODIRECTOR_PATCH_SECONDS"

    /// The standard limits with any of the three variables applied; a malformed value is an
    /// error naming the variable (a typo must not silently lift or keep a limit).
    public init(environment: [String: String]) throws {
        self = .standard
        func whole(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw PatchLimitsError(message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(TextSanitizer.quoted(text, limit: 40))).")
            }
            return value
        }
        if let operations = try whole(Self.operationsVariable, 1...1_000_000) { maxOperations = operations }
        if let values = try whole(Self.valuesVariable, 1_000...100_000_000) {
            maxValues = values
            // Sizing is what visits cost: a hundred passes over the largest allowed spec.
            maxVisits = max(Self.standard.maxVisits, values * 100)
        }
        if let seconds = try whole(Self.secondsVariable, 1...3_600) { timeBudget = .seconds(seconds) }
    }
}

public struct PatchLimitsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A patch that crossed one of `PatchLimits`: nothing was stored.
public struct PatchTooLargeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Limit: Sendable, Equatable {
        case operations(Int)
        case values(Int)
        case visits(Int)
        case time(Duration)
        /// Nesting far past `JSONDepth.limit` (the validator names the path of anything nearer).
        case depth
    }

    public var limit: Limit

    public var description: String {
        switch limit {
        case .operations(let maximum):
            return "The patch has more than \(maximum) operations; nothing was stored. Split it, or raise \(PatchLimits.operationsVariable)."
        case .values(let maximum):
            return "The patched spec would hold more than \(maximum) values (a `copy` of a subtree into itself doubles it at each step); nothing was stored. Raise \(PatchLimits.valuesVariable) if the spec really is that large."
        case .visits(let maximum):
            return "The patch would visit more than \(maximum) values while it is applied; nothing was stored. Split it, or raise \(PatchLimits.valuesVariable)."
        case .time(let budget):
            return "The patch took longer than \(budget.components.seconds) s to apply and was stopped; nothing was stored. Simplify it, or raise \(PatchLimits.secondsVariable)."
        case .depth:
            return "The patched spec would nest deeper than \(JSONDepth.limit) levels, the most a spec may nest; nothing was stored."
        }
    }
}

/// The work one patch action has done, against its limits: operations counted, values visited,
/// the patched document's size kept current, and the injected deadline asked now and then.
/// Pure: the clock is the caller's (`expired`).
public struct PatchWork {
    public let limits: PatchLimits
    private let expired: () -> Bool
    private var operations = 0
    private var visits = 0
    /// The patched document's size in values, once `start` has measured it.
    private(set) var values = 0

    /// `expired` says whether the time budget is spent; it is asked after each operation and
    /// every few thousand values visited.
    public init(limits: PatchLimits = .standard, expired: @escaping () -> Bool = { false }) {
        self.limits = limits
        self.expired = expired
    }

    /// Measures the whole document: where the patches start, and after each patch.
    mutating func measure(_ document: JSONValue) throws {
        values = try size(of: document)
    }

    /// Counts one operation and checks the clock.
    mutating func operation() throws {
        operations += 1
        if operations > limits.maxOperations { throw PatchTooLargeError(limit: .operations(limits.maxOperations)) }
        if expired() { throw PatchTooLargeError(limit: .time(limits.timeBudget)) }
    }

    /// The document changes size: `removed` values go, `added` come.
    mutating func resize(removing removed: Int, adding added: Int) throws {
        let next = values - removed + added
        if next > limits.maxValues { throw PatchTooLargeError(limit: .values(limits.maxValues)) }
        values = next
    }

    /// The values in `value` placed under `depth` containers, counted one by one so that a
    /// hostile value is refused at the first value past a limit, never walked whole. Also
    /// refuses a value that would nest deeper than `JSONDepth.storedLimit` there: this walk's recursion is
    /// bounded, and the validator names the path of a spec that nests past `JSONDepth.limit`.
    mutating func size(of value: JSONValue, placedAt depth: Int = 0) throws -> Int {
        var count = 0
        try walk(value, depth: depth, count: &count)
        return count
    }

    private mutating func walk(_ value: JSONValue, depth: Int, count: inout Int) throws {
        try visit()
        count += 1
        // The whole document's bound also bounds any one value in it.
        if count > limits.maxValues { throw PatchTooLargeError(limit: .values(limits.maxValues)) }
        switch value {
        case .object(let object):
            if depth + 1 > JSONDepth.storedLimit { throw PatchTooLargeError(limit: .depth) }
            for member in object { try walk(member.value, depth: depth + 1, count: &count) }
        case .array(let elements):
            if depth + 1 > JSONDepth.storedLimit { throw PatchTooLargeError(limit: .depth) }
            for element in elements { try walk(element, depth: depth + 1, count: &count) }
        default:
            break
        }
    }

    private mutating func visit() throws {
        visits += 1
        if visits > limits.maxVisits { throw PatchTooLargeError(limit: .visits(limits.maxVisits)) }
        if visits & 0xFFF == 0, expired() { throw PatchTooLargeError(limit: .time(limits.timeBudget)) }
    }
}
