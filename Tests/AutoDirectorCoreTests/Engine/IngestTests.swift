import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct IngestTests {
    @Test(arguments: StoreKind.all) func sampleIngestsAsOneBatch(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let result = try engine.ingest(try project.file("products.csv", TestProject.sampleCSV))
        #expect(result == .init(batchID: "products", rows: 3, isNew: true))
        let again = try engine.ingest(project.root.appendingPathComponent("products.csv"))
        #expect(again == .init(batchID: "products", rows: 3, isNew: false))
        #expect(try engine.batches().count == 1)
    }

    /// Every malformed input of SPEC §4: refused with file, line and column; nothing stored.
    @Test(arguments: [
        ("empty", "", 1, 1, "empty"),
        ("missing column", "id,name\nA,B\n", 1, 1, "required column"),
        ("unterminated quote", "sku,product_name\nP1,\"Open\nP2,x\n", 2, 4, "unterminated"),
        ("wrong field count", "sku,product_name,finish\nP1,Name\n", 2, 8, "expected 3 fields"),
        ("too many fields", "sku,product_name\nP1,Name,extra\n", 2, 9, "expected 2 fields"),
        ("invalid shot id", "sku,product_name\n../etc,Name\n", 2, 1, "shot_id"),
        ("duplicate ids", "sku,product_name\nP1,a\nP2,b\nP1,c\n", 2, 1, "lines 2, 4"),
        ("header only", "sku,product_name\n", 1, 1, "no rows"),
    ] as [(String, String, Int, Int, String)])
    func malformedCSVIsRefusedWithPosition(_ name: String, _ text: String, _ line: Int, _ column: Int, _ fragment: String) throws {
        let project = try TestProject()
        let engine = try project.engine()
        let url = try project.file("bad.csv", text)
        let error = try #require(throws: IngestError.self) { try engine.ingest(url) }
        let first = try #require(error.problems.first)
        #expect(first.line == line, "\(name)")
        #expect(first.column == column, "\(name)")
        #expect(error.description.contains(fragment), "\(name): \(error.description)")
        #expect(error.description.hasPrefix(url.path + ":\(line):\(column): "), "\(name)")
        #expect(try engine.batches().isEmpty)
        #expect(try engine.store.counts().shots == 0)
    }

    @Test(arguments: StoreKind.all) func invalidUTF8IsPositioned(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let url = try project.file("latin1.csv", bytes: Array("sku,product_name\nP1,Caf".utf8) + [0xE9] + Array("\n".utf8))
        let error = try #require(throws: IngestError.self) { try engine.ingest(url) }
        #expect(error.problems.first?.line == 2)
        #expect(error.problems.first?.column == 7)
        #expect(try engine.batches().isEmpty)
    }

    @Test(arguments: StoreKind.all) func shotIDsAreUniqueAcrossBatches(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        _ = try engine.ingest(try project.file("a.csv", "sku,product_name\nP1,a\nP2,b\n"))
        let error = try #require(throws: IngestError.self) { try engine.ingest(try project.file("b.csv", "sku,product_name\nP3,c\nP2,d\n")) }
        #expect(error.problems.map(\.line) == [3])
        #expect(error.description.contains("already exists in batch a"))
        #expect(try engine.batches().map(\.id) == ["a"])
    }

    @Test(arguments: StoreKind.all) func quotedCellsAndCRLFAndBOM(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let text = "\u{FEFF}sku,product_name,finish\r\nP1,\"Mug, \"\"large\"\"\",glossy\r\nP2,\"Two\nlines\",matte\r\n"
        let batch = try engine.ingest(try project.file("q.csv", text)).batchID
        _ = try engine.plan(batchID: batch)
        #expect(try engine.shot("P1").subject == "Mug, \"large\"")
        #expect(try engine.shot("P2").subject == "Two\nlines")
        #expect(try engine.shot("P2").sourceLine == 3)
    }

    @Test(arguments: StoreKind.all) func columnMappingIsConfigurable(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let url = try project.file("m.csv", "id,title,finish\nX1,Lamp,glossy\n")
        let batch = try engine.ingest(url, mapping: try ColumnMapping(assignments: ["shot_id=id", "subject=title"])).batchID
        _ = try engine.plan(batchID: batch)
        #expect(try engine.version(of: "X1").spec["subject"] == "Lamp")
    }

    @Test(arguments: StoreKind.all) func storyboardRecordsAndCompleteShots(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let lines = """
            {"sku":"S1","product_name":"Vase","finish":"glossy"}

            {"shot_id":"S2","structured_prompt":"{\\"short_description\\":\\"A vase\\",\\"style_medium\\":\\"photograph\\"}","output":{"width":1024,"height":768},"seed":7}
            {"shot_id":"S3","subject":"Cup","camera":{"fov":30,"position":{"x":0,"y":1,"z":4},"rotation":{"x":0,"y":0,"z":0}},"lens":{"aperture":4,"focal_length":85},"lighting":{"key_light":{"intensity":1,"position":{"x":1,"y":1,"z":1}}},"color":{"palette":[]},"background":{"hex":"#000000"},"output":{"width":512,"height":512},"hash":"ignored"}
            """
        let batch = try engine.ingest(try project.file("board.jsonl", lines)).batchID
        _ = try engine.plan(batchID: batch)
        #expect(try engine.version(of: "S1").spec["lighting"]?["key_light"]?["intensity"] == 0.7)
        let s2 = try engine.version(of: "S2")
        #expect(s2.seed == 7)
        #expect(s2.spec["structured_prompt"]?["short_description"] == "A vase")
        #expect(try engine.shot("S2").sourceLine == 3)
        let s3 = try engine.version(of: "S3")
        #expect(s3.spec["hash"] == nil)
        #expect(s3.rulesApplied.first?.kind == .storyboard)
    }

    @Test(arguments: StoreKind.all) func storyboardArrayErrorsArePositioned(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let text = "[\n  {\"sku\":\"A\",\"product_name\":\"a\"},\n  {\"sku\":\"A\",\"product_name\":\"b\"},\n  {\"shot_id\":\"B\",\"camera\":{}}\n]"
        let error = try #require(throws: IngestError.self) { try engine.ingest(try project.file("board.json", text)) }
        #expect(error.problems.first?.line == 4)
        #expect(error.problems.first?.column == 3)
        let syntax = try #require(throws: IngestError.self) { try engine.ingest(try project.file("broken.json", "[\n {\"sku\": }\n]")) }
        #expect(syntax.problems.first?.line == 2)
        #expect(try engine.batches().isEmpty)
    }

    /// Files larger than one stored chunk: rows in later chunks keep their lines and source rows,
    /// and a clash with another batch lists every conflicting line and stores nothing.
    @Test(arguments: StoreKind.all) func largeFilesSpanChunks(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        var text = "sku,product_name,finish\n"
        for index in 1...2500 { text += "S\(index),Item \(index),\(index % 2 == 0 ? "glossy" : "matte")\n" }
        let batch = try engine.ingest(try project.file("big.csv", text))
        #expect(batch.rows == 2500)
        let plan = try engine.plan(batchID: batch.batchID)
        #expect(plan.created == 2500)
        #expect(try engine.shots().count == 2500)
        let explained = try engine.explain("S2400")
        #expect(explained.source?.line == 2401)
        #expect(explained.source?.fields["product_name"] == "Item 2400")
        #expect(explained.version.spec["lighting"]?["key_light"]?["intensity"] == 0.7)

        var clash = "sku,product_name\n"
        for index in 2490...2600 { clash += "S\(index),Other\n" }
        let error = try #require(throws: IngestError.self) { try engine.ingest(try project.file("clash.csv", clash)) }
        #expect(error.problems.map(\.line) == Array(2...12))
        #expect(error.omitted == 0)
        #expect(error.problems.first?.message.contains("already exists in batch big") == true)
        #expect(try engine.batches().count == 1)
    }

    @Test(arguments: StoreKind.all) func anIngestedButUnplannedShotSaysSo(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        _ = try engine.ingest(try project.file("p.csv", TestProject.sampleCSV))
        #expect(throws: EngineError.shotNotPlanned("PROD-001")) { try engine.version(of: "PROD-001") }
        #expect(throws: EngineError.unknownShot("NOPE")) { try engine.version(of: "NOPE") }
    }
}
