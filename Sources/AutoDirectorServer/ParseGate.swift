/// At most `slots` JSON bodies parsed at once (`--json-parses`): a parsed body takes ~16× its
/// bytes, so the number parsed together bounds what JSON can cost in memory. A request that
/// finds every slot taken waits for one up to its deadline, then is answered 503.
actor ParseGate {
    private let slots: Int
    private var busy = 0
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0

    init(slots: Int) {
        self.slots = max(1, slots)
    }

    /// Runs `work` holding a slot (off the actor: parses run side by side); nil when no slot
    /// came free within `wait`.
    nonisolated func run<T: Sendable>(waiting wait: Duration, _ work: @Sendable () throws -> T) async throws -> T? {
        guard await acquire(within: wait) else { return nil }
        let result = Result { try work() }
        await release()
        return try result.get()
    }

    /// A slot, waiting at most `wait` for one; false when none came free. `run` pairs it with `release`.
    func acquire(within wait: Duration) async -> Bool {
        if busy < slots {
            busy += 1
            return true
        }
        nextID += 1
        let id = nextID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting.append((id, continuation))
                Task { [weak self] in
                    try? await Task.sleep(for: wait)
                    await self?.expire(id)
                }
            }
        } onCancel: {
            Task { [weak self] in await self?.expire(id) }
        }
    }

    /// A waiter that got no slot in time (or was cancelled) gives up; one already served is gone.
    private func expire(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }

    /// Hands the slot to the longest waiter, or frees it.
    func release() {
        if waiting.isEmpty {
            busy -= 1
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
        }
    }
}
