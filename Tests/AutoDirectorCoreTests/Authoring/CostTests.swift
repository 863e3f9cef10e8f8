import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// SPEC §18's cost control on both stores: the calls a render will make, budgets that stop a
/// running job, billed renders and spend.
@Suite struct CostTests {
    static let prices = ImagePrices(fallback: 0.04, entries: ["lite": 0.01, "standard/4MP": 0.08])

    @Test(arguments: StoreKind.all)
    func theEstimateCountsDistinctHashesNotRenderedAndWaitingItems(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        #expect(try engine.renderEstimate(batchID: batch, prices: nil) == RenderEstimate(versions: 3, cached: 0, callsByKind: ["standard 1MP": 3], cost: nil))
        try project.markRendered(engine, "PROD-001")
        let half = try engine.renderEstimate(batchID: batch, prices: Self.prices)
        #expect(half.calls == 2 && half.cached == 1 && half.cost == 0.08, "\(half)")
        #expect(half.sentence == "2 provider calls (1 cached), cost 0.08")
        #expect(try engine.renderEstimate(batchID: batch, force: true, prices: Self.prices).calls == 3)
        // A version waiting in a job is counted once, whether named again or not.
        _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: [#"{"generation":{"model":"lite"}}"#]))
        let waiting = try engine.renderEstimate(batchID: batch, prices: Self.prices)
        #expect(waiting.callsByKind == ["standard 1MP": 1, "lite 1MP": 1] && waiting.cost == 0.05, "\(waiting)")
        #expect(waiting.sentence == "2 provider calls (1 cached) — 1 lite 1MP, 1 standard 1MP, cost 0.05")
        #expect(try engine.renderEstimate(batchID: batch, prices: ImagePrices(entries: ["lite": 0.01])).cost == nil, "a kind without a price")
    }

    @Test(arguments: StoreKind.all)
    func aBudgetStopsTheJobWhichResumesWhenRaised(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let job = try #require(try engine.enqueueRender(batchID: batch))
        var settings = RenderSettings(concurrency: 1)
        settings.budget = SpendGuard(limit: 0.09, prices: Self.prices, name: "--budget 0.09")
        let stopped = try await engine.runPendingJobs(provider: MockProvider(), settings: settings)
        // Waiting to resume: paused on one machine; on a shared project, left to the boxes.
        #expect(stopped.count == 1 && [.queued, .running].contains(stopped[0].state), "stopped at the budget: \(stopped)")
        #expect(settings.budget?.isExhausted == true && settings.budget?.spent == 0.08)
        #expect(try engine.job(job).counts[.done] == 2 && engine.job(job).counts[.queued] == 1)
        #expect(try engine.spend(since: nil, prices: Self.prices) == (2, 0.08))
        #expect(try engine.spend(since: engine.startOfToday.addingTimeInterval(86_400), prices: Self.prices).calls == 0, "nothing billed tomorrow")
        settings.budget = SpendGuard(limit: 1, prices: Self.prices, name: "--budget 1")
        let resumed = try await engine.runPendingJobs(provider: MockProvider(), settings: settings)
        #expect(resumed.map(\.state) == [.done])
        #expect(try engine.spend(since: nil, prices: Self.prices) == (3, 0.12))
    }

    @Test(arguments: StoreKind.all)
    func rendersOutsideAJobAreBilledAtTheirOwnPrice(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: [#"{"generation":{"model":"lite"}}"#]))
        let base = try engine.version(of: "PROD-002")
        let (_, variants) = try engine.prepareVariants("PROD-002", seeds: Engine.variantSeeds(of: base, count: 2))
        for variant in variants {
            let rendered = try await engine.render(variant, provider: MockProvider(), settings: RenderSettings(concurrency: 1))
            #expect(!rendered.cached)
        }
        // Seed variants of a lite version: two lite calls, though no job or version records them.
        #expect(try engine.spend(since: nil, prices: Self.prices) == (2, 0.02))
        let again = try engine.prepareVariants("PROD-002", seeds: [variants[0].request.seed]).variants
        #expect(try await engine.render(again[0], provider: MockProvider(), settings: RenderSettings(concurrency: 1)).cached)
        #expect(try engine.spend(since: nil, prices: Self.prices).calls == 2, "a cached variant is not billed")
        #expect(try engine.spend(since: engine.startOfToday.addingTimeInterval(86_400), prices: Self.prices).calls == 0)
    }

    @Test func pricesAreReadAndTheMostSpecificWins() throws {
        let prices = try ImagePrices(parsing: "0.04, lite=0.01, standard/4MP=0.08")
        #expect(prices == Self.prices)
        var parameters = GenerationParameters()
        #expect(prices.price(of: parameters) == 0.04)
        parameters.resolution = .fourMP
        #expect(prices.price(of: parameters) == 0.08)
        parameters.model = .lite
        #expect(prices.price(of: parameters) == 0.01)
        #expect(throws: ImagePrices.Problem.self) { try ImagePrices(parsing: "turbo=1") }
        #expect(throws: ImagePrices.Problem.self) { try ImagePrices(parsing: "lite=cheap") }
        #expect(throws: ImagePrices.Problem.self) { try ImagePrices(parsing: "lite/8MP=1") }
        #expect(ImagePrices.format(12.4) == "12.40" && ImagePrices.format(0.001) == "0.0010")
    }
}
