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
