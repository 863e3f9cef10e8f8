import AutoDirectorCore
import FakeBriaServer
import Foundation
import Testing

/// SPEC §18 through the command line against the fake Bria API: refine from a note, the frozen
/// structured prompt and the parent's seed sent, the refined fields compared, nothing paid twice.
@Suite struct AuthoringCommandTests {
    static let token = "authoring-secret-token-7c21"

    /// The sample run through the fake Bria (`run` given `options`, its faults injected first):
    /// the server, and the environment that renders through it.
    static func runSample(
        _ cli: CLIHarness, options: [String] = [], faults: [FakeBriaFault] = []
    ) async throws -> (server: FakeBriaServer, environment: [String: String]) {
        let server = try await FakeBriaServer.start(token: token)
        let environment = environment(server)
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        server.inject(faults)
        #expect(await cli.run(["run", csv] + options + ["--no-tui"], environment: environment).code == 0)
        return (server, environment)
    }

    static func environment(_ server: FakeBriaServer) -> [String: String] {
        [
            "BRIA_API_TOKEN": token, "FIBO_API_BASE": server.baseURL, "FIBO_POLL_SECONDS": "0",
            "FIBO_RATE_LIMIT_RPM": "100000", "FIBO_CONCURRENCY": "1", "FIBO_PROVIDER": "bria",
        ]
    }

    @Test func refineShowsTheFieldsStoresTheFrozenPromptAndRendersItOnce() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, environment) = try await Self.runSample(cli, options: ["--preset", "brand_neutral_cool"])
        let parent = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        let parentSeed = try #require(parent["seed"]?.numberValue)
        let rendersBefore = server.counters.accepted

        // Without --yes (and no terminal) the diff is shown and nothing is stored.
        let preview = await cli.run(["refine", "PROD-001", "warmer, 85 mm, backlit"], environment: environment)
        #expect(preview.code == 0, "\(preview.err)")
        #expect(preview.out.contains("lighting.conditions") && preview.out.contains("photographic_characteristics.lens_focal_length"), "\(preview.out)")
        #expect(preview.out.contains("lighting.direction") && preview.out.contains("Not stored"), "\(preview.out)")
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)["version"] == 1)

        let stored = await cli.run(["refine", "PROD-001", "warmer, 85 mm, backlit", "--yes"], environment: environment)
        #expect(stored.code == 0, "\(stored.err)")
        #expect(stored.out.contains("Created PROD-001 v2") && stored.out.contains("origin refine"), "\(stored.out)")
        let prompts = server.postedBodies.filter { $0.path == "/v2/structured_prompt/generate" }
        #expect(prompts.count == 2)
        #expect(prompts.last?.body["prompt"] == "warmer, 85 mm, backlit")
        #expect(prompts.last?.body["structured_prompt"]?.stringValue?.contains("short_description") == true, "the version's prompt is sent with the note")

        let render = await cli.run(["render"], environment: environment)
        #expect(render.code == 0, "\(render.out)\(render.err)")
        #expect(server.counters.accepted == rendersBefore + 1)
        let submit = try #require(server.postedBodies.last { $0.path == "/v2/image/generate" }?.body)
        #expect(submit["seed"]?.numberValue == parentSeed, "the parent's seed")
        let version = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        let frozen = try #require(version["spec"]?["structured_prompt"])
        let sent = try JSONParser.parse(try #require(submit["structured_prompt"]?.stringValue))
        #expect(try CanonicalJSON.string(sent) == CanonicalJSON.string(frozen), "the frozen prompt, sent as it is")
        #expect(version["origin"] == "refine")
        #expect(version["spec"]?["source"]?["note"] == "warmer, 85 mm, backlit")

        let compare = await cli.run(["compare", "PROD-001", "1", "2"])
        #expect(compare.out.contains("structured_prompt.lighting.direction"), "\(compare.out)")
        #expect(!compare.out.contains("camera.fov"), "compared as sent, not as every parameter removed: \(compare.out)")
        let explain = await cli.run(["explain", "PROD-001"])
        #expect(explain.out.contains("v2 (refine") && explain.out.contains("refine \"warmer, 85 mm, backlit\""), "\(explain.out)")

        // A second run makes no provider call.
        #expect(await cli.run(["render"], environment: environment).code == 0)
        #expect(server.counters.accepted == rendersBefore + 1)
        #expect(server.duplicatePaidSubmits == 0)
        await server.shutdown()
        for output in [preview, stored, render] { #expect(!(output.out + output.err).contains(Self.token)) }
    }

    @Test func aPromptModelFailureStoresNothingAndSaysWhy() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, environment) = try await Self.runSample(cli)
        server.inject([.moderation])
        let refused = await cli.run(["refine", "PROD-001", "warmer", "--yes"], environment: environment)
        #expect(refused.code == 1)
        #expect(refused.err.contains("content moderation") && refused.err.contains("Nothing was stored"), "\(refused.err)")
        server.inject([.statusError(code: 500)])
        let failed = await cli.run(["refine", "PROD-001", "warmer", "--yes"], environment: environment)
        #expect(failed.code == 1 && failed.err.contains("ERROR 500"), "\(failed.err)")
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)["version"] == 1)
        #expect(await cli.run(["refine", "PROD-001", "  ", "--yes"], environment: environment).err.contains("needs some text"))
        await server.shutdown()
        #expect(!(refused.err + failed.err).contains(Self.token))
    }

    @Test func generationParametersAreSentAndLiteHasItsEndpoint() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, environment) = try await Self.runSample(cli)
        let first = try #require(server.postedBodies.first { $0.path == "/v2/image/generate" }?.body)
        #expect(first["resolution"] == "1MP" && first["negative_prompt"]?.stringValue == GenerationParameters.photographicNegativePrompt)
        #expect(first["steps_num"] == nil, "Bria's default unless the spec sets one")
        let patched = await cli.run(
            ["rerender", "PROD-001", #"{"generation":{"model":"lite","resolution":"4MP","steps_num":8,"guidance_scale":4,"negative_prompt":"blurry"}}"#],
            environment: environment)
        #expect(patched.code == 0, "\(patched.err)")
        #expect(await cli.run(["render"], environment: environment).code == 0)
        let lite = try #require(server.postedBodies.last { $0.path == "/v2/image/generate/lite" }?.body)
        #expect(lite["resolution"] == "4MP" && lite["steps_num"] == 8 && lite["guidance_scale"] == 4 && lite["negative_prompt"] == "blurry")
        let refused = await cli.run(["rerender", "PROD-001", "output.width=1280", "output.height=800"])
        #expect(refused.code == 1 && refused.err.contains("not one of FIBO's native aspect ratios (1:1, 2:3"), "\(refused.err)")
        let badModel = await cli.run(["rerender", "PROD-001", "generation.model=turbo"])
        #expect(badModel.err.contains("generation.model: must be one of standard, lite (got \"turbo\")"), "\(badModel.err)")
        await server.shutdown()
    }
}

/// Cost before commitment through the command line (mock provider: the calls are counted the same).
@Suite struct CostCommandTests {
    @Test func dryRunNamesTheCallsABudgetBelowRefusesAndMetricsCountSpend() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)
        #expect(await cli.run(["render", "PROD-001"]).code == 0)
        let priced = ["FIBO_PRICE_PER_IMAGE": "0.04"]

        let dry = await cli.run(["render", "--dry-run"], environment: priced)
        #expect(dry.code == 0 && dry.out == "Would make 2 provider calls (1 cached), cost 0.08.\n", "\(dry.out)\(dry.err)")
        let unpriced = await cli.run(["render", "--dry-run"])
        #expect(unpriced.out.contains("(set FIBO_PRICE_PER_IMAGE for the cost)"))
        let json = try JSONParser.parse(await cli.run(["render", "--dry-run", "--json"], environment: priced).out)
        #expect(json["provider_calls"] == 2 && json["cost"] == 0.08)

        let refused = await cli.run(["render", "--budget", "0.05"], environment: priced)
        #expect(refused.code == 1)
        #expect(refused.err.contains("would make 2 provider calls (1 cached), cost 0.08, more than the budget allows (--budget 0.05: 0.05 left)"), "\(refused.err)")
        #expect(refused.err.contains("Nothing was queued"))
        let jobs = try JSONParser.parse(await cli.run(["jobs", "--json"]).out)
        #expect(jobs.arrayValue?.count == 1, "nothing queued by the refused render")
        let daily = await cli.run(["render"], environment: ["FIBO_PRICE_PER_IMAGE": "0.04", "FIBO_BUDGET": "0.10"])
        #expect(daily.code == 1 && daily.err.contains("FIBO_BUDGET 0.10 a day, 0.04 spent today: 0.06 left"), "\(daily.err)")
        #expect(await cli.run(["render", "--budget", "1"]).err.contains("A budget needs prices: set FIBO_PRICE_PER_IMAGE"))

        let rendered = await cli.run(["render", "--budget", "0.08"], environment: priced)
        #expect(rendered.code == 0, "\(rendered.err)")
        #expect(rendered.err.contains("Rendering 3 versions: 2 provider calls (1 cached), cost 0.08."), "\(rendered.err)")
        let metrics = try JSONParser.parse(await cli.run(["metrics"], environment: priced).out)
        #expect(metrics["billed_calls"] == 3 && metrics["spend"] == 0.12, "\(metrics)")
        let text = await cli.run(["metrics", "--format", "prometheus"], environment: priced).out
        #expect(text.contains("autodirector_billed_calls_total 3") && text.contains("autodirector_spend_total 0.12"))
        #expect(await cli.run(["render", "--dry-run"], environment: priced).out == "Would make 0 provider calls (3 cached), cost 0.00.\n")
    }
}

/// Seed variants through the command line, offline with the mock (a seed changes its picture).
@Suite struct VariantsCommandTests {
    @Test func fourVariantsAreFourPicturesCachedByHashAndOnePickedBecomesV2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["run", csv, "--preset", "brand_neutral_cool", "--no-tui"]).code == 0)
        let parent = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        let parentSeed = UInt32(try #require(parent["seed"]?.numberValue))

        let first = try JSONParser.parse(await cli.run(["variants", "PROD-001", "--count", "4", "--json"]).out)
        let variants = try #require(first.arrayValue)
        #expect(variants.count == 4)
        #expect(variants.map { $0["seed"]?.numberValue } == (1...4).map { Double(parentSeed &+ UInt32($0)) })
        #expect(variants.allSatisfy { $0["cached"] == false })
        #expect(Set(variants.compactMap { $0["image_sha256"]?.stringValue }).count == 4, "four different pictures")
        let again = try JSONParser.parse(await cli.run(["variants", "PROD-001", "--count", "4", "--json"]).out)
        #expect(again.arrayValue?.allSatisfy { $0["cached"] == true } == true, "cached by hash: no provider call")
        let listed = await cli.run(["variants", "PROD-001", "--seeds", "7,\(parentSeed &+ 2)"])
        #expect(listed.out.contains("seed 7 ") && listed.out.contains("rendered") && listed.out.contains("cached"), "\(listed.out)")
        #expect(await cli.run(["variants", "PROD-001", "--seeds", "7,x"]).err.contains("--seeds takes up to 64 integers"))

        let picked = try #require(variants[2]["seed"]?.numberValue.map { UInt32($0) })
        let stored = await cli.run(["variants", "PROD-001", "--pick", String(picked)])
        #expect(stored.code == 0 && stored.out.contains("Created PROD-001 v2") && stored.out.contains("origin variant"), "\(stored.out)\(stored.err)")
        let version = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(version["version"] == 2 && version["origin"] == "variant" && version["seed"]?.numberValue == Double(picked))
        #expect(version["hash"] == variants[2]["hash"], "the picked variant's spec, hash for hash")
        let render = await cli.run(["render", "--json"])
        let job = try JSONParser.parse(render.out).arrayValue?.last
        #expect(job?["items"]?["cached"] == 1 && job?["items"]?["done"] == 0, "its image was rendered as the variant: \(render.out)")
        #expect(await cli.run(["explain", "PROD-001"]).out.contains("variant: seed \(picked) picked among the seed variants of v1"))
        #expect(await cli.run(["variants", "PROD-001", "--pick", String(picked)]).err.contains("changes nothing"))
    }
}

/// Start from a picture through the command line against the fake Bria.
@Suite struct InspireCommandTests {
    @Test func aPictureBecomesTheNextVersionRecordingItsDigestAndName() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, environment) = try await AuthoringCommandTests.runSample(cli)
        let png = try PNGCodec.encode(PNGCodec.Image(width: 2, height: 2, rgb: [200, 120, 40, 200, 120, 40, 200, 120, 40, 200, 120, 40]))
        let picture = try cli.file("mood board.png", bytes: png)

        let made = await cli.run(["inspire", picture, "--shot", "PROD-001", "--note", "soft shadows"], environment: environment)
        #expect(made.code == 0 && made.out.contains("Created PROD-001 v2") && made.out.contains("origin inspire"), "\(made.out)\(made.err)")
        let sent = try #require(server.postedBodies.last { $0.path == "/v2/structured_prompt/generate" }?.body)
        #expect(sent["images"]?.arrayValue?.first?.stringValue == Data(png).base64EncodedString() && sent["prompt"] == "soft shadows")
        let version = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(version["origin"] == "inspire")
        #expect(version["spec"]?["source"]?["image_sha256"]?.stringValue == SHA256Hex.digest(png))
        #expect(version["spec"]?["source"]?["image_file"] == "mood board.png", "the file's name, not its directories")
        #expect(version["spec"]?["structured_prompt"]?["aesthetics"]?["color_scheme"] == "dominated by #c87828", "the picture was read")

        let notAPicture = try cli.file("notes.txt", "hello")
        let refused = await cli.run(["inspire", notAPicture, "--shot", "PROD-001"], environment: environment)
        #expect(refused.code == 1 && refused.err.contains("is not a PNG, JPEG or WEBP picture. Nothing was stored."), "\(refused.err)")
        server.inject([.serverError(503)])
        let failed = await cli.run(["inspire", picture, "--shot", "PROD-001"], environment: environment)
        #expect(failed.code == 1 && failed.err.contains("HTTP 503") && failed.err.contains("Nothing was stored"), "\(failed.err)")
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)["version"] == 2)
        await server.shutdown()
        #expect(!(made.out + made.err + failed.err).contains(AuthoringCommandTests.token))
    }
}

extension InspireCommandTests {
    @Test func aPictureBecomesANewShotOfABatch() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, environment) = try await AuthoringCommandTests.runSample(cli)
        let png = try PNGCodec.encode(PNGCodec.Image(width: 2, height: 2, rgb: [40, 120, 200, 40, 120, 200, 40, 120, 200, 40, 120, 200]))
        let picture = try cli.file("lamp.png", bytes: png)

        let made = await cli.run(["inspire", picture, "--batch", "products", "--id", "PROD-900", "--note", "a desk lamp"], environment: environment)
        #expect(made.code == 0 && made.out.contains("Created the new shot PROD-900 of batch products v1"), "\(made.out)\(made.err)")
        let shown = try JSONParser.parse(await cli.run(["show", "PROD-900", "--json"]).out)
        let planned = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(shown["origin"] == "inspire" && shown["version"] == 1)
        #expect(shown["spec"]?["source"]?["image_sha256"]?.stringValue == SHA256Hex.digest(png) && shown["spec"]?["source"]?["image_file"] == "lamp.png")
        #expect(shown["spec"]?["output"] == planned["spec"]?["output"], "the batch's look")
        #expect(shown["spec"]?["structured_prompt"]?["aesthetics"]?["color_scheme"] == "dominated by #2878c8", "the picture was read")
        let listed = await cli.run(["shots", "--batch", "products"])
        #expect(listed.out.contains("PROD-900"), "\(listed.out)")
        #expect(await cli.run(["render"], environment: environment).code == 0)
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-900", "--json"]).out)["render_status"] == "rendered")
        let explained = await cli.run(["explain", "PROD-900"])
        #expect(explained.code == 0 && explained.out.contains("inspire: a new shot of batch products from lamp.png"), "\(explained.out)\(explained.err)")

        // A plan of the batch again leaves it be; an export carries it.
        #expect(await cli.run(["plan", "products"]).code == 0)
        let out = cli.root.appendingPathComponent("out").path
        #expect(await cli.run(["export", "products", "--out", out]).code == 0)
        let manifest = try JSONParser.parse(try String(contentsOfFile: out + "/products/manifest.json", encoding: .utf8))
        #expect(manifest["shots"]?.arrayValue?.compactMap { $0["shot_id"]?.stringValue } == ["PROD-001", "PROD-002", "PROD-003", "PROD-900"])

        let again = await cli.run(["inspire", picture, "--batch", "products", "--id", "PROD-001"], environment: environment)
        #expect(again.code == 1 && again.err.contains("has a shot \"PROD-001\" already") && again.err.contains("--id"), "\(again.err)")
        let named = await cli.run(["inspire", picture, "--batch", "products"], environment: environment)
        let defaultID = "INSPIRE-" + SHA256Hex.digest(png).prefix(12).uppercased()
        #expect(named.code == 0 && named.out.contains("Created the new shot \(defaultID)"), "\(named.out)\(named.err)")
        #expect(await cli.run(["inspire", picture, "--batch", "nope"], environment: environment).err.contains("No batch \"nope\""))
        #expect(await cli.run(["inspire", picture, "--shot", "PROD-001", "--id", "X"], environment: environment).code != 0)
        #expect(await cli.run(["inspire", picture], environment: environment).code != 0)
        await server.shutdown()
    }
}

/// `inspect`: an exported picture's provenance, rendered by (the fake) Bria.
@Suite struct InspectCommandTests {
    @Test func anExportedPictureSaysWhatMadeIt() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, _) = try await AuthoringCommandTests.runSample(cli)
        let out = cli.root.appendingPathComponent("out").path
        #expect(await cli.run(["export", "products", "--out", out]).code == 0)
        let image = out + "/products/images/PROD-001_v1.png"

        let shown = await cli.run(["inspect", image])
        #expect(shown.code == 0 && shown.out.contains("PROD-001 v1") && shown.out.contains("bria") && shown.out.contains("structured prompt:"), "\(shown.out)\(shown.err)")
        let provenance = try JSONParser.parse(await cli.run(["inspect", image, "--json"]).out)
        let version = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(provenance["spec_hash"] == version["hash"] && provenance["seed"] == version["seed"])
        #expect(provenance["provider"] == "bria" && provenance["model"] == "standard")
        #expect(provenance["request_id"]?.stringValue?.isEmpty == false, "Bria's request id")
        let submit = server.postedBodies.first { $0.path == "/v2/image/generate" && $0.body["seed"] == version["seed"] }
        let sent = try #require(submit?.body["structured_prompt"]?.stringValue)
        #expect(provenance["structured_prompt"] == (try JSONParser.parse(sent)), "the prompt as sent")
        #expect(await cli.run(["verify", out + "/products"]).code == 0)

        let plain = try cli.file("plain.png", bytes: try PNGCodec.encode(PNGCodec.Image(width: 1, height: 1, rgb: [0, 0, 0])))
        let none = await cli.run(["inspect", plain])
        #expect(none.code == 1 && none.err.contains("carries no AutoDirector provenance"), "\(none.err)")
        let missing = await cli.run(["inspect", cli.root.appendingPathComponent("nothing.png").path])
        #expect(missing.code == 1 && missing.err.contains("cannot be read"), "\(missing.err)")
        await server.shutdown()
        #expect(!(shown.out + shown.err).contains(AuthoringCommandTests.token))
    }
}

/// Drift: a render Bria answered with another seed or structured prompt than was sent.
@Suite struct DriftCommandTests {
    @Test func aRenderThatDidNotReproduceIsSaidInExplainAndTheReport() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, _) = try await AuthoringCommandTests.runSample(cli, faults: [.drift])

        var drifted: [String] = []
        for shot in ["PROD-001", "PROD-002", "PROD-003"] {
            let explained = await cli.run(["explain", shot])
            if explained.out.contains("Not reproduced:") {
                drifted.append(shot)
                #expect(explained.out.contains("Bria rendered with seed") && explained.out.contains("lighting.direction"), "\(explained.out)")
            }
        }
        #expect(drifted.count == 1, "one render drifted: \(drifted)")
        let shot = try #require(drifted.first)

        let out = cli.root.appendingPathComponent("out").path
        #expect(await cli.run(["export", "products", "--out", out]).code == 0)
        let report = try String(contentsOfFile: out + "/products/report.md", encoding: .utf8)
        #expect(report.contains("## Not reproduced") && report.contains("- \(shot) v1: Bria rendered with seed"), "\(report)")
        let manifest = try JSONParser.parse(try String(contentsOfFile: out + "/products/manifest.json", encoding: .utf8))
        for entry in manifest["shots"]?.arrayValue ?? [] {
            let reasons = entry["not_reproduced"]?.arrayValue ?? []
            #expect(reasons.isEmpty == (entry["shot_id"]?.stringValue != shot), "\(entry)")
        }
        await server.shutdown()
    }

    @Test func aForcedReRenderThatGaveAnotherPictureIsSaidAndTheFirstStays() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (server, environment) = try await AuthoringCommandTests.runSample(cli)
        let before = await cli.run(["show", "PROD-001", "--json"])
        #expect(!(await cli.run(["explain", "PROD-001"])).out.contains("Not reproduced"))

        // The same bytes again: reproduced, nothing said.
        #expect(await cli.run(["render", "PROD-001", "--force"], environment: environment).code == 0)
        #expect(!(await cli.run(["explain", "PROD-001"])).out.contains("Not reproduced"))

        server.inject([.drift])
        #expect(await cli.run(["render", "PROD-001", "--force"], environment: environment).code == 0)
        let explained = await cli.run(["explain", "PROD-001"])
        #expect(explained.out.contains("A forced re-render on") && explained.out.contains("gave another picture"), "\(explained.out)")
        #expect(await cli.run(["show", "PROD-001", "--json"]).out == before.out, "the first picture stays the hash's")

        let out = cli.root.appendingPathComponent("out").path
        #expect(await cli.run(["export", "products", "--out", out]).code == 0)
        let report = try String(contentsOfFile: out + "/products/report.md", encoding: .utf8)
        #expect(report.contains("- PROD-001 v1: ") && report.contains("A forced re-render on"), "\(report)")
        let again = cli.root.appendingPathComponent("again").path
        #expect(await cli.run(["export", "products", "--out", again]).code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/products/manifest.json"))
            == Data(contentsOf: URL(fileURLWithPath: again + "/products/manifest.json")), "the export stays byte-identical")
        await server.shutdown()
    }
}
