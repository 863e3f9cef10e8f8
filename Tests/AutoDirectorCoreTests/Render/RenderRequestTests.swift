import GRDB
import Testing
@testable import AutoDirectorCore

@Suite struct RenderRequestTests {
    /// A request read from the store keeps its spec in parts; joined, it is the version's spec,
    /// hashes to the version's hash, and each member reads the same without joining.
    @Test func aRequestInPartsIsTheStoredSpec() throws {
        let project = try TestProject()
        let (engine, batch) = try project.plannedSample()
        let job = try #require(try engine.enqueueRender(batchID: batch))
        let requests = try engine.store.renderRequests(jobID: job)
        #expect(requests.count == 3)
        for request in requests {
            let version = try engine.version(of: request.shotID)
            #expect(request.spec == version.spec)
            #expect(try SpecHasher.hash(request.spec).hash == request.hash)
            for member in version.spec {
                #expect(request.specMember(member.key) == member.value)
            }
            #expect(request.specMember("no_such_member") == nil)
        }
    }
}

@Suite struct RenderRequestStreamTests {
    /// Pages come in job order, each after the last, the short one ends the stream; and between
    /// pages no read transaction is open: a full WAL checkpoint succeeds while the stream waits.
    @Test func pagesFollowEachOtherAndHoldNoSnapshotBetweenReads() async throws {
        let project = try TestProject()
        var csv = "sku,product_name\n"
        for index in 1...10 { csv += "P\(index),Item \(index)\n" }
        let engine = try project.engine()
        let batch = try engine.ingest(try project.file("p.csv", csv)).batchID
        _ = try engine.plan(batchID: batch)
        let job = try #require(try engine.enqueueRender(batchID: batch))
        let all = try engine.store.renderRequests(jobID: job)
        #expect(all.count == 10)

        var stream = try await RenderRequestStream.open(store: engine.store, jobID: job, pageSize: 4)
        var pages: [[RenderRequest]] = []
        while let page = try await stream.next() {
            pages.append(page)
            let busy = try await engine.sqlite.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            #expect(busy == 0, "a read transaction was left open between pages")
        }
        #expect(pages.map(\.count) == [4, 4, 2])
        #expect(pages.flatMap { $0 }.map(\.jobItemID) == all.map(\.jobItemID))
        #expect(stream.isFinished)
    }
}
