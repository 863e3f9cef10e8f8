import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Notes on a version (SPEC §17): written, pinned, answered in one level of threads, resolved
/// and reopened without touching the review status; a retake's note is one, and the next version
/// answers it; on both stores.
@Suite struct NoteTests {
    @Test(arguments: StoreKind.all) func notesThreadsAndTheirStates(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let first = try engine.writeNote("PROD-001", text: "  logo too small  ", pin: try NotePin.parse("0.25,0.5"), author: "ana")
        #expect(first.body == "logo too small" && first.version == 1 && first.isOpen && !first.isRetake)
        #expect(first.pin == .point(x: 0.25, y: 0.5))
        let second = try engine.writeNote("PROD-001", text: "shadow", pin: .box(x: 0.1, y: 0.2, width: 0.3, height: 0.4), author: "bo")
        let reply = try engine.reply(to: first.id, text: "agreed", author: "bo")
        // One level of threads: a reply to a reply joins the first note's thread.
        let replyToReply = try engine.reply(to: reply.id, text: "done in v2", author: "ana")
        #expect(reply.parentID == first.id && replyToReply.parentID == first.id)
        #expect(try engine.version(of: "PROD-001").review == .pending, "a note changes no status")

        var notes = try engine.notes(of: "PROD-001")
        #expect(notes.threads.map(\.number) == [1, 2])
        #expect(notes.threads.map(\.note.id) == [first.id, second.id])
        #expect(notes.threads[0].replies.map(\.body) == ["agreed", "done in v2"])
        #expect(notes.threads[1].note.pin == .box(x: 0.1, y: 0.2, width: 0.3, height: 0.4))
        #expect(notes.openCount == 2)

        // Resolving a reply resolves its thread; again changes nothing; reopen opens it.
        let resolved = try engine.resolveNote(replyToReply.id, reviewer: "ana")
        #expect(resolved.changed && resolved.note.id == first.id && resolved.note.state == .resolved && resolved.note.changedBy == "ana")
        #expect(try engine.resolveNote(first.id, reviewer: "bo").changed == false)
        notes = try engine.notes(of: "PROD-001")
        #expect(notes.openCount == 1)
        #expect(try engine.reopenNote(first.id, reviewer: "bo").note.state == .open)
        #expect(try engine.noteLog(of: "PROD-001").map { "\($0.noteID) \($0.state.rawValue) \($0.reviewer)" }
            == ["\(first.id) resolved ana", "\(first.id) open bo"])
        #expect(try engine.notes(of: "PROD-002").threads.isEmpty)
    }

    @Test(arguments: StoreKind.all) func wrongNotesAreRefusedAndStoreNothing(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: EngineError.unknownShot("NOPE")) { try engine.writeNote("NOPE", text: "x", author: "ana") }
        #expect(throws: EngineError.unknownVersion("PROD-001", 7)) { try engine.writeNote("PROD-001", version: 7, text: "x", author: "ana") }
        #expect(throws: EngineError.emptyNote) { try engine.writeNote("PROD-001", text: " \n ", author: "ana") }
        #expect(throws: EngineError.noteTooLong(limit: 4000)) { try engine.writeNote("PROD-001", text: String(repeating: "a", count: 4001), author: "ana") }
        #expect(throws: EngineError.unknownNote(999)) { try engine.reply(to: 999, text: "x", author: "ana") }
        #expect(throws: EngineError.unknownNote(999)) { try engine.resolveNote(999, reviewer: "ana") }
        #expect(throws: EngineError.pinWithoutNote(.hold)) { try engine.review(.hold, ["PROD-001"], pin: .point(x: 0, y: 0), reviewer: "ana") }
        #expect(EngineError.unknownNote(1).callerKind == .notFound)
        #expect(try engine.notes(of: "PROD-001").threads.isEmpty)
        #expect(try engine.version(of: "PROD-001").review == .pending)
    }

    @Test(arguments: StoreKind.all) func aRetakeNoteIsPinnedAndTheNextVersionAnswersIt(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        _ = try engine.writeNote("PROD-001", text: "nice colour", author: "bo")
        let retake = try engine.retake(["PROD-001"], note: "move the product left", pin: .point(x: 0.7, y: 0.5), reviewer: "ana")
        let v1 = try engine.notes(of: "PROD-001")
        #expect(v1.threads.count == 2)
        let retakeNote = v1.threads[1]
        #expect(retakeNote.number == 2 && retakeNote.note.isRetake && retakeNote.note.actionID == retake.actionID)
        #expect(retakeNote.note.pin == .point(x: 0.7, y: 0.5) && retakeNote.note.author == "ana")
        #expect(v1.answers.isEmpty)

        _ = try engine.rerender("PROD-001", patches: [.merge(["camera": ["fov": 50]])])
        let v2 = try engine.notes(of: "PROD-001")
        #expect(v2.version == 2 && v2.threads.isEmpty)
        #expect(v2.answers.map(\.note.id) == [retakeNote.note.id], "v2 answers the retake's note, not the plain note")
        #expect(v2.answers.map(\.number) == [2])
        #expect(try engine.notes(of: "PROD-001", version: 1).threads.count == 2)
    }

    @Test(arguments: StoreKind.all) func undoingARetakeWithdrawsItsNote(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        _ = try engine.retake(["PROD-001", "PROD-002"], note: "too dark", reviewer: "ana")
        #expect(try engine.notes(of: "PROD-002").threads.map(\.note.body) == ["too dark"], "a bulk retake notes every shot")
        _ = try engine.undoLastReview(reviewer: "ana")
        let note = try #require(try engine.notes(of: "PROD-001").threads.first?.note)
        #expect(note.state == .withdrawn && note.changedBy == "ana")
        _ = try engine.rerender("PROD-001", patches: [.merge(["camera": ["fov": 50]])])
        #expect(try engine.notes(of: "PROD-001").answers.isEmpty, "a withdrawn retake note is answered by nothing")
    }

    @Test func pinsAreCheckedAndKeptToFourDecimals() throws {
        #expect(try NotePin.parse("0.5, 0.25") == .point(x: 0.5, y: 0.25))
        #expect(try NotePin.parse("0.123456,1") == .point(x: 0.1235, y: 1))
        #expect(try NotePin.parse("0.1,0.2,0.3,0.4").text == "0.1,0.2,0.3,0.4")
        #expect(try NotePin.parse("0,1").text == "0,1")
        for bad in ["", "0.5", "1.2,0.5", "-0.1,0", "a,b", "0.5,0.5,0.6,0.1", "0.1,0.1,0,0.2", "nan,0.5", "0.1,0.2,0.3"] {
            #expect(throws: NotePinError.self, "\(bad)") { try NotePin.parse(bad) }
        }
        #expect(throws: NotePinError.self) { try NotePin.make(x: 0.1, y: 0.1, width: 0.2) }
    }
}
