import Foundation

/// One render box of a shared project, as the database knows it (`autodirector workers`).
public struct RenderWorker: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Claiming and rendering.
        case running
        /// Told to stop: finishing what it renders, claiming nothing.
        case stopping
        /// Ended cleanly, its leases released.
        case stopped
    }

    public var name: String
    public var host: String
    public var pid: Int
    public var state: State
    public var startedAt: Date
    /// Seconds since its last heartbeat, on the database's clock (no machine's clock is trusted
    /// against another's).
    public var heartbeatAge: Double
    /// Items it holds a live lease on now.
    public var inFlight: Int
    public var rendersDone: Int
    /// Items whose lease it lost (it stalled past the lease; another box took them over).
    public var lostLeases: Int

    public init(
        name: String, host: String, pid: Int, state: State, startedAt: Date, heartbeatAge: Double, inFlight: Int, rendersDone: Int,
        lostLeases: Int
    ) {
        (self.name, self.host, self.pid, self.state, self.startedAt) = (name, host, pid, state, startedAt)
        (self.heartbeatAge, self.inFlight, self.rendersDone, self.lostLeases) = (heartbeatAge, inFlight, rendersDone, lostLeases)
    }
}
