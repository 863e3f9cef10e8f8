/// A render job's queued requests, page by page in job order, so rendering starts before 100k
/// requests are built. Each page is read in a short read transaction of its own, after the
/// last item handed over (keyset paging by item id): nothing holds a snapshot open while the
/// job waits on its provider, so the WAL can be reset while the job's commits arrive.
///
/// The stream describes the next read (`nextPage`) instead of performing it, so the render loop
/// can run that read as a child task beside its renders and take the page when it arrives.
struct RenderRequestStream: Sendable {
    let jobID: Int64
    let pageSize: Int
    private let store: any ProjectStore
    private let looks: RenderLooks
    /// Claiming under leases (a shared project): each page is a claim of queued items.
    private let claiming: RenderLeaseSettings?
    private var after: Int64 = 0
    private(set) var isFinished = false

    /// Reads the job's looks (a handful, parsed once) off the cooperative pool.
    static func open(
        store: any ProjectStore, jobID: Int64, pageSize: Int, claiming: RenderLeaseSettings? = nil
    ) async throws -> RenderRequestStream {
        let looks = try await Blocking.run { try store.renderLooks(jobID: jobID) }
        return RenderRequestStream(jobID: jobID, pageSize: max(1, pageSize), store: store, looks: looks, claiming: claiming)
    }

    private init(jobID: Int64, pageSize: Int, store: any ProjectStore, looks: RenderLooks, claiming: RenderLeaseSettings?) {
        (self.jobID, self.pageSize, self.store, self.looks, self.claiming) = (jobID, pageSize, store, looks, claiming)
    }

    /// One read's result.
    struct Page: Sendable {
        var requests: [RenderRequest]
        /// Claimed nothing because the project's cap on items in flight is reached while items
        /// are still queued: renders ending (this box's, once committed, or other boxes') make
        /// room, so the stream goes on, reading again after a pause.
        var waitingForRoom = false
    }

    /// How long a read waits after one that found no room under the cap.
    static let roomPoll = Duration.milliseconds(100)

    /// The read of the page after the last one received; run it, then pass its page to
    /// `received` before asking for the next.
    var nextPage: @Sendable () async throws -> Page {
        let (store, jobID, after, limit, looks, pause) = (store, jobID, after, pageSize, looks, waitingForRoom)
        if let claiming {
            return {
                if pause { await (claiming.stop ?? StopSignal()).wait(upTo: Self.roomPoll) }
                let leases = claiming.leases
                let page = try await Blocking.run {
                    try leases.claimRenderRequests(jobID: jobID, limit: limit, lease: claiming.duration, looks: looks, maxInFlight: claiming.maxInFlight)
                }
                guard page.isEmpty, claiming.maxInFlight != nil, claiming.stop?.isStopped != true, !Task.isCancelled else { return Page(requests: page) }
                return Page(requests: [], waitingForRoom: try await Blocking.run { try leases.hasClaimableItems(jobID: jobID) })
            }
        }
        return { Page(requests: try await Blocking.run { try store.renderRequestPage(jobID: jobID, after: after, limit: limit, looks: looks) }) }
    }

    /// The last read found no room under the cap (see `Page.waitingForRoom`).
    private var waitingForRoom = false

    /// Moves past `page`; a short page is the last.
    mutating func received(_ page: Page) {
        waitingForRoom = page.waitingForRoom
        if let last = page.requests.last { after = last.jobItemID }
        // A claim may bring more than asked (items sharing a hash) or fewer (other boxes took
        // some): only an empty one, with no wait for room, says the queue is empty.
        if claiming == nil ? page.requests.count < pageSize : page.requests.isEmpty && !page.waitingForRoom { isFinished = true }
    }

    /// Reads and receives the next page; nil once the stream has ended.
    mutating func next() async throws -> [RenderRequest]? {
        guard !isFinished else { return nil }
        let page = try await nextPage()
        received(page)
        return page.requests.isEmpty && isFinished ? nil : page.requests
    }
}
