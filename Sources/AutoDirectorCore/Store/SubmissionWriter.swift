import Foundation
import GRDB
import Synchronization

/// Makes submission states (see `SubmissionJournal`) durable with group commit: a render
/// waits for its state to be written before it goes on, and the states of every render in
/// flight that arrive meanwhile share one transaction, so 32 renders at once do not queue up
/// behind 32 separate fsyncs.
final class SubmissionWriter: Sendable {
    private struct Entry {
        var jobID: Int64
        var items: [VersionKey]
        /// The items' leases, when they were claimed under one (`RenderLeases`).
        var leases: [ItemLease]?
        var state: SubmissionJournal.State
        var done: CheckedContinuation<Void, any Error>
    }

    private let store: any ProjectStore
    private let clock: @Sendable () -> Date
    private let queue = DispatchQueue(label: "autodirector.submissions")
    private let pending = Mutex<(entries: [Entry], scheduled: Bool)>(([], false))

    init(store: any ProjectStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// A journal for one render shared by `items` (versions with the same spec hash) of job
    /// `jobID`, starting from what was stored.
    /// `leases`: the items' leases when they were claimed under one; a "sending" whose lease
    /// was lost is then refused with `RenderLeaseLost`, and the submit does not leave.
    func journal(jobID: Int64, items: [VersionKey], leases: [ItemLease]? = nil, stored: SubmissionJournal.State) -> SubmissionJournal {
        SubmissionJournal(state: stored) { [self] state in try await record(jobID: jobID, items: items, leases: leases, state: state) }
    }

    func record(jobID: Int64, items: [VersionKey], leases: [ItemLease]? = nil, state: SubmissionJournal.State) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let schedule = pending.withLock { pending in
                pending.entries.append(Entry(jobID: jobID, items: items, leases: leases, state: state, done: done))
                defer { pending.scheduled = true }
                return !pending.scheduled
            }
            if schedule { queue.async { self.flush() } }
        }
    }

    private func flush() {
        let entries = pending.withLock { pending in
            defer { pending = ([], false) }
            return pending.entries
        }
        guard !entries.isEmpty else { return }
        let leased = entries.filter { $0.leases != nil }
        let plain = entries.filter { $0.leases == nil }
        do {
            if !plain.isEmpty { try store.recordSubmissions(plain.map { ($0.jobID, $0.items, $0.state) }, at: clock()) }
            for entry in plain { entry.done.resume() }
        } catch {
            for entry in plain { entry.done.resume(throwing: error) }
        }
        guard !leased.isEmpty else { return }
        do {
            guard let leases = store as? any RenderLeases else { throw StoreError.database("leased items on a store without leases") }
            let written = try leases.recordLeasedSubmissions(leased.map { ($0.leases ?? [], $0.state) }, at: clock())
            for (entry, written) in zip(leased, written) {
                if written { entry.done.resume() } else { entry.done.resume(throwing: RenderLeaseLost()) }
            }
        } catch {
            for entry in leased { entry.done.resume(throwing: error) }
        }
    }
}

extension SQLiteStore {
    func recordSubmissions(_ states: [(jobID: Int64, items: [VersionKey], state: SubmissionJournal.State)], at now: Date) throws {
        try write { db in
            for (jobID, items, state) in states {
                let requestID: String?
                let submittedAt: Date?
                switch state {
                case .none: (requestID, submittedAt) = (nil, nil)
                case .sending: (requestID, submittedAt) = (nil, now)
                case .accepted(let id): (requestID, submittedAt) = (id, now)
                }
                for item in items {
                    try db.execute(
                        sql: "UPDATE job_items SET request_id = ?, submitted_at = ? WHERE job_id = ? AND shot_id = ? AND version = ?",
                        arguments: [requestID, submittedAt, jobID, item.shotID, item.version])
                }
            }
        }
    }
}
