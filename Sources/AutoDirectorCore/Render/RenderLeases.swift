import Foundation

/// A shared project's render queue across machines (SPEC §16), as the established Postgres job
/// queues share work: a box claims items with `FOR UPDATE SKIP LOCKED` in a short transaction
/// (no lock is held across a render), writes a lease into each (itself, the claim's attempt
/// number, an expiry on the database's clock), extends its leases by heartbeat, and every later
/// write about an item is guarded by (item, owner, attempt): a box that lost a lease changes
/// nothing. Any box's reaper returns expired leases to the queue; an item whose paid submit was
/// being sent keeps its journal, so whoever claims it next refuses to send it again, and one
/// whose submit was accepted is polled by its request id.
///
/// The owner is the store's own session: one per process.
protocol RenderLeases: Sendable {
    /// Records this process as a render box (or updates its row).
    func registerWorker(name: String, host: String, pid: Int) throws
    /// Claims up to `limit` queued items of a job (with every other queued item of the job
    /// that has the same spec hash, so that one box renders a hash once), leased for `lease`;
    /// with `maxInFlight`, no more than leaves that many live leases on the project (those
    /// sharing a hash with a claimed item come along all the same). Empty when nothing is
    /// queued, or nothing fits under the cap.
    func claimRenderRequests(jobID: Int64, limit: Int, lease: Duration, looks: RenderLooks, maxInFlight: Int?) throws -> [RenderRequest]
    /// Extends every lease this box holds and its heartbeat; returns how many items it holds.
    @discardableResult
    func heartbeat(lease: Duration, state: RenderWorker.State) throws -> Int
    /// Returns expired leases (of any box) to the queue and closes jobs left with no work; how
    /// many items went back.
    @discardableResult
    func reapExpiredLeases(at clock: @autoclosure () -> Date) throws -> Int
    /// Gives back every item this box holds that it has not finished (a graceful stop).
    @discardableResult
    func releaseLeases() throws -> Int
    /// Stores finished items this box still holds the lease of, with their artifacts; returns
    /// how many were written (the rest were taken over by another box and are not touched).
    func recordLeasedOutcomes(_ outcomes: [ItemOutcome], jobID: Int64, at clock: @autoclosure () -> Date) throws -> Int
    /// Closes the job as `decide` says when no item of it waits or runs on any box; nil when
    /// some still do (the box that finishes the last one closes it).
    func closeJobIfDone(_ id: Int64, at clock: @autoclosure () -> Date, decide: (JobClosing) -> RenderJob.State) throws -> RenderJob.State?
    /// Whether a job has queued items left to claim.
    func hasClaimableItems(jobID: Int64) throws -> Bool
    /// Submission states of leased items (see `SubmissionJournal`): "sending" is written only
    /// for items this box still holds under the same claim (false for a record that was not:
    /// its submit must not leave); a request id is kept whoever holds the item now, so nobody
    /// pays for it again.
    func recordLeasedSubmissions(_ records: [(items: [ItemLease], state: SubmissionJournal.State)], at now: Date) throws -> [Bool]
    /// Every box that has registered, most recent first.
    func workers() throws -> [RenderWorker]
    /// Marks this box stopped.
    func unregisterWorker() throws
}

/// A lost lease: the item was taken over by another box while this one stalled.
struct RenderLeaseLost: Error, CustomStringConvertible {
    var description: String {
        "this box lost its lease on the item (it stalled past the lease and another box took it over); it sends nothing for it"
    }
}

/// A job item as claimed by this box: its id and the claim's attempt number.
struct ItemLease: Sendable, Hashable {
    var itemID: Int64
    var attempt: Int64
}

/// How a render job claims its items on a shared project.
struct RenderLeaseSettings: Sendable {
    let leases: any RenderLeases
    /// How long a claim holds without a heartbeat.
    let duration: Duration
    /// The provider's rate limits, shared by every box; nil where the store keeps none.
    var pacer: (any RequestPacer)? = nil
    /// Items leased at once across every box of the project; nil: no cap.
    var maxInFlight: Int? = nil
    /// Told to stop: a claim waiting for room under the cap gives up.
    var stop: StopSignal? = nil
}
