@testable import FuzzCore

/// The three patch forms and the dotted-path parser: each line of the input is one patch
/// argument; the patches are applied to a sample spec. Any outcome but a crash is fine, and a
/// result that validates must be storable: canonical, within the depth limit, parsed back.
private let base: JSONValue = [
    "shot_id": "PROD-001", "subject": "Wireless Headphones", "attributes": ["finish": "glossy"],
    "camera": ["fov": 45, "position": ["x": 0, "y": 0, "z": 5], "rotation": ["x": 0, "y": 0, "z": 0]],
    "lens": ["aperture": 2.8, "focal_length": 50],
    "lighting": ["key_light": ["intensity": 0.7, "position": ["x": 2, "y": 3, "z": 4]]],
    "color": ["palette": ["#2c3e50", "#ecf0f1"]], "background": ["hex": "#e8f0f5"],
    "output": ["width": 1024, "height": 1024], "seed": 1,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let arguments = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for argument in arguments { _ = try? DottedPath.parse(argument) }
    // Each line an argument, as on the command line; else the whole input as a patch file.
    guard let patches = (try? ShotPatch.parse(arguments: arguments)) ?? (try? ShotPatch.parse(fileText: text)) else { return 0 }
    // Within the limits the engine applies (PatchLimits): a hostile input is refused, not run.
    var spec = base
    var work = PatchWork()
    guard (try? work.measure(spec)) != nil else { return 0 }
    for patch in patches {
        guard let next = try? patch.apply(to: spec, work: &work), (try? work.measure(next)) != nil else { return 0 }
        spec = next
    }
    guard let object = spec.objectValue, SpecValidator.violations(of: object).isEmpty else { return 0 }
    precondition(JSONDepth.pathBeyondLimit(in: spec) == nil, "a valid spec must fit the depth limit")
    do {
        let canonical = try CanonicalJSON.bytes(spec)
        let stored = try JSONParser.parse(canonical)
        precondition(stored == spec, "a valid spec must read back as stored")
        _ = JSONDiff.changes(from: base, to: spec).map(\.dottedPath)
        _ = StructuredPrompt.forSpec(object)
    } catch {
        preconditionFailure("a valid spec must be storable: \(error)")
    }
    return 0
}
