import AutoDirectorCore
import Foundation
import Testing

/// `note`, `reply`, `notes`, `resolve`, `reopen` and a pinned `retake` from the command line
/// (SPEC §17).
@Suite struct NoteCommandTests {
    @Test func aPinnedRetakeTheVersionThatAnswersItAndTheThread() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)

        let badPin = await cli.run(["retake", "PROD-001", "--note", "left", "--at", "1.5,0.2"])
        #expect(badPin.code == 2 && badPin.err.contains("within 0…1"), "\(badPin.err)")
        #expect(await cli.run(["retake", "PROD-001", "--note", "left", "--at", "0.1,0.2", "--box", "0,0,1,1"]).code == 2)
        let retake = await cli.run(["retake", "PROD-001", "--note", "move it left", "--at", "0.7,0.5", "--reviewer", "ana"])
        #expect(retake.code == 0, "\(retake.err)")
        let note = await cli.run(["note", "PROD-001", "logo too small", "--box", "0.1,0.1,0.2,0.1", "--reviewer", "bo", "--json"])
        let noteID = try #require(try JSONParser.parse(note.out)["id"]?.numberValue)
        let reply = await cli.run(["reply", String(Int(noteID)), "will fix", "--reviewer", "ana"])
        #expect(reply.out.contains("Reply") && reply.out.contains("to note \(Int(noteID)) on PROD-001 v1"), "\(reply.out)")

        let listed = await cli.run(["notes", "PROD-001"])
        #expect(listed.out.contains("PROD-001 v1: 2 notes, 2 open"), "\(listed.out)")
        #expect(listed.out.contains("#1 [open]") && listed.out.contains("retake, pinned at 0.7,0.5): move it left"))
        #expect(listed.out.contains("#2 [open]") && listed.out.contains("pinned at 0.1,0.1,0.2,0.1): logo too small"))
        #expect(listed.out.contains("    ↳ (note") && listed.out.contains("will fix"))

        #expect(await cli.run(["rerender", "PROD-001", "camera.fov=50"]).code == 0)
        let v2 = try JSONParser.parse(await cli.run(["notes", "PROD-001", "--json"]).out)
        #expect(v2["version"] == 2 && v2["answers"]?.arrayValue?.count == 1 && v2["answers"]?.arrayValue?.first?["number"] == 1)
        #expect(await cli.run(["notes", "PROD-001"]).out.contains("answers the retake notes of v1: #1"))

        let resolved = await cli.run(["resolve", String(Int(noteID)), "--reviewer", "ana"])
        #expect(resolved.code == 0 && resolved.out.contains("Resolved note \(Int(noteID)) on PROD-001 v1"), "\(resolved.out)\(resolved.err)")
        #expect(await cli.run(["resolve", String(Int(noteID))]).out.contains("was already resolved"))
        #expect(await cli.run(["notes", "PROD-001", "--version", "1"]).out.contains("2 notes, 1 open"))
        #expect(await cli.run(["reopen", String(Int(noteID))]).out.contains("Reopened"))
        let unknown = await cli.run(["resolve", "999"])
        #expect(unknown.code == 1 && unknown.err.contains("No note 999") && unknown.err.contains("autodirector notes SHOT"), "\(unknown.err)")
        #expect(await cli.run(["note", "PROD-001", "  "]).err.contains("A note needs some text."))
    }
}

/// The flow `ServiceTests.theAuditLogOfAFlowThroughTheService` runs through the service, from
/// the command line: `log` lists the same entries (SPEC §17).
@Suite struct AuditLogCommandTests {
    @Test func theSameFlowLogsTheSameAsTheService() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)
        let who = ["--reviewer", "api-test"]
        #expect(await cli.run(["retake", "PROD-001", "--note", "move it left", "--at", "0.7,0.5"] + who).code == 0)
        let note = try JSONParser.parse(await cli.run(["note", "PROD-001", "logo too small", "--json"] + who).out)
        let id = String(Int(try #require(note["id"]?.numberValue)))
        #expect(await cli.run(["resolve", id] + who).code == 0)
        #expect(await cli.run(["assign", "PROD-001", "--to", "bo"] + who).code == 0)
        let events = try JSONParser.parse(await cli.run(["log", "PROD-001", "--json"]).out).arrayValue ?? []
        let lines = events.map { event -> String in
            let version = event["version"]?.numberValue.map { "v\(Int($0))" } ?? "--"
            let pin = event["pin"].map { "@\($0["x"]?.numberValue ?? -1),\($0["y"]?.numberValue ?? -1)" } ?? ""
            return "\(event["reviewer"]?.stringValue ?? "?") \(version) \(event["action"]?.stringValue ?? "?")\(pin) \(event["text"]?.stringValue ?? "")"
        }
        #expect(lines == [
            "api-test v1 changes_requested move it left", "api-test v1 retake note@0.7,0.5 move it left",
            "api-test v1 note logo too small", "api-test v1 resolved ", "api-test -- assigned bo",
        ], "\(lines)")
        let text = await cli.run(["log", "PROD-001"]).out
        #expect(text.contains("api-test  v1  changes_requested — move it left") && text.contains("assigned — bo"), "\(text)")
        #expect(await cli.run(["log", "PROD-002"]).out.contains("Nothing logged for PROD-002 yet."))
    }
}

/// `assign`, `unassign`, `shots --assignee/--mine` from the command line (SPEC §17).
@Suite struct AssignCommandTests {
    @Test func assignFromAListAndMyQueue() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)
        let ids = try cli.file("ids.txt", "PROD-001\nPROD-002\n")
        let assigned = await cli.run(["assign", "--ids-from", ids, "--to", "ana", "--reviewer", "lead"])
        #expect(assigned.code == 0 && assigned.out.contains("Assigned to ana: PROD-002"), "\(assigned.out)\(assigned.err)")
        #expect(await cli.run(["assign", "PROD-001", "--to", "ana"]).out.contains("already so"))
        _ = await cli.run(["retake", "PROD-002", "--note", "warmer", "--reviewer", "ana"])
        let queue = await cli.run(["shots", "--assignee", "ana", "--mine"])
        #expect(queue.out.contains("PROD-001") && !queue.out.contains("PROD-002") && !queue.out.contains("PROD-003"), "\(queue.out)")
        #expect(await cli.run(["shots", "--assignee", "ana"]).out.contains("PROD-002"))
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)["assignee"] == "ana")
        #expect(await cli.run(["unassign", "PROD-001"]).out.contains("Unassigned PROD-001"))
        let unknown = await cli.run(["assign", "NOPE", "--to", "ana"])
        #expect(unknown.code == 1 && unknown.err.contains("No shot \"NOPE\""), "\(unknown.err)")
        #expect(await cli.run(["assign", "PROD-001"]).code == 2, "--to is required")
    }
}

/// `config stages`, `approve --stage` and the table's progress from the command line (SPEC §17).
@Suite struct StageCommandTests {
    @Test func approveAtBothStages() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)
        #expect(await cli.run(["render", "--batch", "products"]).code == 0)
        #expect(await cli.run(["config", "stages", "art, brand"]).out == "stages = art, brand\n")
        #expect(await cli.run(["config"]).out == "stages = art, brand\n")
        let bad = await cli.run(["config", "stages", "Art"])
        #expect(bad.code == 1 && bad.err.contains("cannot name a stage"), "\(bad.err)")

        let unnamed = await cli.run(["approve", "PROD-001"])
        #expect(unnamed.code == 1 && unnamed.err.contains("Give it with --stage art|brand."), "\(unnamed.err)")
        let early = await cli.run(["approve", "PROD-001", "--stage", "brand"])
        #expect(early.code == 1 && early.err.contains("Approve it first with --stage art."), "\(early.err)")
        #expect(await cli.run(["approve", "PROD-001", "--stage", "art", "--reviewer", "ana"]).out == "Approved PROD-001 v1 at art\n")
        let table = await cli.run(["shots"]).out
        #expect(table.contains("PROD-001  Wireless Headphones  v1   rendered  pending  art ✓ brand ·"), "\(table)")
        let waiting = await cli.run(["shots", "--filter", "stage:brand"]).out
        #expect(waiting.contains("PROD-001") && !waiting.contains("PROD-002"), "\(waiting)")
        let wrong = await cli.run(["shots", "--filter", "stage:legal"])
        #expect(wrong.code == 1 && wrong.err.contains("its stages are art, brand"), "\(wrong.err)")
        #expect(await cli.run(["approve", "PROD-001", "--stage", "brand", "--reviewer", "bo"]).code == 0)
        #expect(await cli.run(["shots", "--review", "approved"]).out.contains("approved  art ✓ brand ✓"))
        #expect(await cli.run(["show", "PROD-001"]).out.contains("stages:       art ✓ brand ✓"))
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)["approved_stages"] == ["art", "brand"])
        let log = await cli.run(["log", "PROD-001"]).out
        #expect(log.contains("ana  v1  approved at art") && log.contains("bo  v1  approved at brand"), "\(log)")
    }
}
