import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// Refine from a note (`N`, SPEC §18): the note goes to the prompt model (the mock's, offline),
/// FIBO's changed fields are shown for confirmation, `y` stores them as the next version.
@Suite struct RefineTests {
    @Test func nAsksTheModelShowsTheFieldsAndYStoresV2WithTheParentsSeed() async throws {
        let (root, engine, configuration) = try SessionTests.plannedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let session = await SessionTests.renderedSession(engine, configuration)
        let base = try engine.version(of: "PROD-001")

        // An empty note keeps the prompt open; Esc after an answer stores nothing.
        session.press(.character("N"))
        #expect(session.frame.text.contains("Refine PROD-001 with FIBO"))
        session.press(.enter)
        #expect(session.state.prompt != nil && session.state.messageIsError)
        session.type("backlit")
        session.press(.enter)
        #expect(await session.settled())
        guard case .refine(let first)? = session.state.confirmation else {
            Issue.record("no confirmation: \(session.state.message ?? "")")
            return
        }
        #expect(first.changes.map(\.dottedPath) == ["lighting.direction"])
        session.press(.escape)
        #expect(try engine.versions(of: "PROD-001").count == 1)

        session.press(.character("N"))
        session.type("backlit, 85 mm")
        session.press(.enter)
        #expect(await session.settled())
        let text = session.frame.text
        #expect(text.contains("FIBO's structured prompt changes") && text.contains("lighting.direction"), "\(text)")
        #expect(text.contains("Store FIBO's answer (2 fields) as PROD-001 v2"), "\(text)")
        session.press(.character("y"))
        #expect(await session.settled())
        let refined = try engine.version(of: "PROD-001")
        #expect(refined.number == 2 && refined.origin == .refine && refined.seed == base.seed)
        #expect(refined.spec["structured_prompt"]?["photographic_characteristics"]?["lens_focal_length"] == "85mm")
        #expect(refined.renderStatus == .rendered)
    }
}
