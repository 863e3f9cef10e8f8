import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// Cost before commitment in the TUI (SPEC §18): a re-render of a selection asks with its
/// provider calls and cost; `FIBO_BUDGET` refuses what would pass it and stops the session's
/// background render at it.
@Suite struct CostKeysTests {
    static let prices = ImagePrices(fallback: 0.04)

    @Test func reRenderingASelectionAsksWithItsCallsAndCost() async throws {
        var (root, engine, configuration) = try SessionTests.plannedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        configuration.prices = Self.prices
        let session = await SessionTests.renderedSession(engine, configuration)

        session.press(.character("*"))
        #expect(await session.settled())
        session.press(.character("R"))
        #expect(await session.settled())
        #expect(session.state.confirmation?.question == "Re-render 3 shots: 3 provider calls, cost 0.12?", "\(session.state.message ?? "")")
        #expect(session.frame.text.contains("Re-render 3 shots: 3 provider calls, cost 0.12? [y/N]"), "\(session.frame.text)")
        session.press(.character("y"))
        #expect(await session.settled())
        #expect(try engine.spend(since: nil, prices: Self.prices).calls == 6, "three renders, then three re-renders")
    }

    @Test func theDaysBudgetRefusesARenderAndVariantsPastIt() async throws {
        var (root, engine, configuration) = try SessionTests.plannedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = await SessionTests.renderedSession(engine, configuration)

        // 0.12 spent today by the first three renders: a budget of 0.14 leaves 0.02, less than one image.
        configuration.dailyBudget = DailyBudget(limit: 0.14, prices: Self.prices)
        let budgeted = HeadlessSession(engine: engine, width: 80, height: 24, configuration: configuration)
        #expect(await budgeted.settled())
        budgeted.press(.character("V"))
        #expect(await budgeted.settled())
        #expect(budgeted.state.variants == nil)
        #expect(
            budgeted.state.message == "Over budget: 4 calls would cost 0.16; 0.02 left today. Nothing was rendered.", "\(budgeted.state.message ?? "")")
        #expect(try engine.spend(since: nil, prices: Self.prices).calls == 3)

        budgeted.press(.character("R"))
        #expect(await budgeted.settled())
        #expect(budgeted.state.messageIsError && budgeted.state.message == "Over budget: 1 call would cost 0.04; 0.02 left today. Nothing was queued.",
                "\(budgeted.state.message ?? "")")
        #expect(try engine.jobs().count == 1, "nothing was queued")
    }

    @Test func theBackgroundRenderStopsAtTheDaysBudget() async throws {
        var (root, engine, configuration) = try SessionTests.plannedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        configuration.dailyBudget = DailyBudget(limit: 0.05, prices: Self.prices)
        let session = await SessionTests.renderedSession(engine, configuration)
        #expect(session.state.message == "Stopped at the day's budget (0.04 of 0.05 spent); the rest waits queued.", "\(session.state.message ?? "")")
        let job = try #require(try engine.jobs().first)
        #expect(job.counts[.done] == 1 && job.counts[.queued] == 2 && job.state == .queued, "one render fits; the rest waits")
        #expect(try engine.spend(since: nil, prices: Self.prices).calls == 1)
    }
}
