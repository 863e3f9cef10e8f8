import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A render asked for while the shot already waits in a job another process queued: nothing new
/// is queued, and the job it waits in is named (issue 19, defect 5: the service said "rendered
/// already").
@Suite struct WaitingJobsTests {
    @Test(arguments: StoreKind.all) func aShotWaitingInAnotherProcesssJobNamesThatJob(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (cli, _) = try project.plannedSample()
        let job = try #require(try cli.enqueueRender(shots: ["PROD-002"]))
        let service = try project.engine(mode: .existing)
        #expect(try service.enqueueRender(shots: ["PROD-002"]) == nil)
        #expect(try service.waitingJobs(shots: ["PROD-002"]) == [job])
        #expect(try service.waitingJobs(shots: ["PROD-001"]).isEmpty)
        #expect(try service.waitingJobs() == [job])
        #expect(try service.hasUnfinishedJobs())
        #expect(throws: EngineError.unknownShot("NOPE")) { try service.waitingJobs(shots: ["NOPE"]) }
    }
}
