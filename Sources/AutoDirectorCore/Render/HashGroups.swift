/// The requests of a render job grouped by spec hash, so that identical specs render once
/// (SPEC §7): a hash waiting or in flight collects its requests, and a hash already settled in
/// this job settles later requests at once. Groups are handed out in the order they opened.
///
/// Each request costs one or two lookups by hash; groups themselves are keyed by a number, as
/// hashing a 64-character spec hash is most of the cost of this bookkeeping at 100k requests.
struct HashGroups {
    struct Group {
        /// The request that renders; `more` share its hash and its result.
        var first: RenderRequest
        var more: [RenderRequest] = []
        var all: [RenderRequest] { [first] + more }

        /// Whether an earlier claim of the same item is in this group (leased requests only).
        func holds(claimOf request: RenderRequest) -> Bool {
            request.leaseAttempt != nil && (first.jobItemID == request.jobItemID || more.contains { $0.jobItemID == request.jobItemID })
        }
    }

    /// How a hash ended in this job, for requests with that hash still to come.
    struct Settlement: Equatable {
        var state: JobItem.State
        var error: String?
    }

    private enum Slot {
        case open(Int)
        case settled(Settlement)
    }

    private var slots: [String: Slot] = [:]
    private var open: [Int: Group] = [:]
    private var opened = 0
    private var handedOut = 0

    /// `expected`: how many requests will come, so the hash table is sized once, not grown.
    init(expected: Int = 0) {
        slots.reserveCapacity(expected)
    }

    /// Adds a request. Returns how its hash already ended in this job, if it did; otherwise the
    /// request opens a group or joins the open one with its hash.
    mutating func add(_ request: RenderRequest) -> Settlement? {
        switch slots[request.hash] {
        case .settled(let settlement)?:
            return settlement
        case .open(let id)? where open[id]?.holds(claimOf: request) == true:
            // This box lost the item's lease and claimed it again: the open group renders it
            // under the old claim, whose writes are fenced; the new claim renders on its own.
            slots[request.hash] = .open(opened)
            open[opened] = Group(first: request)
            opened += 1
        case .open(let id)?:
            open[id]?.more.append(request)
        case nil:
            slots[request.hash] = .open(opened)
            open[opened] = Group(first: request)
            opened += 1
        }
        return nil
    }

    /// Whether a group waits to be handed out.
    var hasWaiting: Bool { handedOut < opened }

    /// How many groups wait to be handed out.
    var waitingCount: Int { opened - handedOut }

    /// The next groups to render, at most `limit`, each with its id.
    mutating func next(_ limit: Int) -> [(id: Int, group: Group)] {
        var groups: [(id: Int, group: Group)] = []
        while handedOut < opened, groups.count < limit {
            if let group = open[handedOut] { groups.append((handedOut, group)) }
            handedOut += 1
        }
        return groups
    }

    /// Closes a group and returns it. With a settlement, later requests with its hash settle at
    /// once; without (its render was stopped), a later request opens a new group.
    mutating func close(_ id: Int, settlement: Settlement?) -> Group? {
        guard let group = open.removeValue(forKey: id) else { return nil }
        // Unless a newer group took the hash over (see `add`).
        if case .open(id)? = slots[group.first.hash] { slots[group.first.hash] = settlement.map(Slot.settled) }
        return group
    }
}
