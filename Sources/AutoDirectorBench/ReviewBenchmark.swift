import AutoDirectorCore
import Foundation

/// `bench review --rows N`: the review vocabulary at scale (SPEC §17, issue 23) on an N-shot
/// planned project: a status change on half the shots in one action (hold, then release), the
/// filtered half assigned to one reviewer (the filter's ids read, then one bulk action), the
/// first page of that reviewer's queue, and single actions a reviewer makes all day (a note
/// written, a retake), each timed through the engine as the TUI calls it; then the first page
/// of filters that combine terms, and of the table with rows marked new since a visit.
public enum ReviewBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var holdHalfSeconds: Double
        public var releaseHalfSeconds: Double
        public var assignFilteredSeconds: Double
        public var assigned: Int
        /// Of `assignFilteredSeconds`: reading the filter's ids.
        public var filterSeconds: Double
        public var myQueueSeconds: Double
        public var myQueueTotal: Int
        public var noteP50MS: Double
        public var noteP99MS: Double
        public var retakeP50MS: Double
        public var retakeP99MS: Double
        public var samples: Int
        /// First page (100 rows) and count of each filter, in `filters` order.
        public var filterPages: [(terms: String, seconds: Double, total: Int)]
        /// The first page with rows marked new since a visit before the retakes.
        public var markedPageSeconds: Double
    }

    /// Filters a reviewer combines, timed on the project as the samples left it, and who looks:
    /// ana (the queue's owner, who wrote the samples) or bo (to whom they are new).
    static let filters = [
        ("assignee:@me status:pending", "ana"), ("assignee:@me notes:open", "ana"), ("retakes>=1 status:retake", "ana"), ("new", "bo"),
        ("stage:art 7", "ana"),
    ]

    public static func run(rows: Int, samples: Int = 200, database: DatabaseURL? = nil) async throws -> Result {
        try await Blocking.run {
            let project = try BenchProject.planned(rows: rows, name: "bench-review", database: database, enqueue: false)
            defer { project.remove() }
            let engine = project.engine
            let all = try engine.shotIDs(matching: ShotQuery(batchID: project.batchID))
            let half = stride(from: 0, to: all.count, by: 2).map { all[$0] }

            func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
                let start = ContinuousClock.now
                let value = try body()
                return (value, (ContinuousClock.now - start).seconds)
            }
            let (_, hold) = try timed { try engine.hold(half, reviewer: "lead") }
            // A reviewer's filter (the status) and one bulk action on it.
            let (filtered, filter) = try timed { try engine.shotIDs(matching: ShotQuery(batchID: project.batchID, filter: "status:on_hold")) }
            let (assigned, assignOnly) = try timed { try engine.assign(filtered, to: "ana", reviewer: "lead").changed.count }
            let assign = filter + assignOnly
            let (_, release) = try timed { try engine.release(half, reviewer: "lead") }
            let (queue, myQueue) = try timed { try engine.shotPage(ShotQuery(limit: 100, assignee: "ana", awaitingDecision: true)) }

            var notes: [Double] = []
            var retakes: [Double] = []
            // A visit just before the samples: their notes and retakes are what is new since.
            _ = try engine.recordVisit(reviewer: "bo")
            let visit = try engine.lastVisit(reviewer: "bo") ?? Date.distantPast
            for index in 0..<samples {
                let id = half[(index * 7919) % half.count]
                let (_, note) = try timed { try engine.writeNote(id, text: "logo \(index)", pin: .point(x: 0.5, y: 0.5), author: "ana") }
                notes.append(note * 1000)
                let (_, retake) = try timed { try engine.retake([id], note: "warmer \(index)", reviewer: "ana") }
                retakes.append(retake * 1000)
            }
            notes.sort()
            retakes.sort()
            try engine.setProjectSetting("stages", to: "art, brand")
            let filterPages = try filters.map { terms, reviewer in
                let (page, seconds) = try timed {
                    try engine.shotPage(ShotQuery(filter: terms, limit: 100, reviewer: reviewer, lastVisit: visit))
                }
                return (terms, seconds, page.total)
            }
            let (_, marked) = try timed { try engine.shotPage(ShotQuery(limit: 100, reviewer: "bo", lastVisit: visit)) }
            return Result(
                rows: rows, holdHalfSeconds: hold, releaseHalfSeconds: release, assignFilteredSeconds: assign, assigned: assigned, filterSeconds: filter,
                myQueueSeconds: myQueue, myQueueTotal: queue.total, noteP50MS: Percentile.of(notes, 0.5), noteP99MS: Percentile.of(notes, 0.99),
                retakeP50MS: Percentile.of(retakes, 0.5), retakeP99MS: Percentile.of(retakes, 0.99), samples: samples, filterPages: filterPages,
                markedPageSeconds: marked)
        }
    }
}
