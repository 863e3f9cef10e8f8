import Foundation

/// The compiler's fixed vocabulary: lens, depth of field, focus, light direction, shadow and
/// placement phrases, each from a number by fixed thresholds (internal for tests).
extension StructuredPromptCompiler {
    /// `"50mm standard lens"`: < 24 ultra-wide, < 35 wide-angle, < 70 standard, < 135 short telephoto, else telephoto.
    static func lensFocalLength(_ focalLength: Double) -> String {
        let kind: String
        if focalLength < 24 {
            kind = "ultra-wide lens"
        } else if focalLength < 35 {
            kind = "wide-angle lens"
        } else if focalLength < 70 {
            kind = "standard lens"
        } else if focalLength < 135 {
            kind = "short telephoto lens"
        } else {
            kind = "telephoto lens"
        }
        return "\(format(focalLength))mm \(kind)"
    }

    /// < 2 shallow, < 5.6 moderate, else deep.
    static func depthOfField(aperture: Double) -> String {
        let stop = "f/\(format(aperture))"
        if aperture < 2 {
            return "Shallow depth of field with strong background blur (\(stop))."
        } else if aperture < 5.6 {
            return "Moderate depth of field (\(stop)), keeping the whole product sharp with a soft background falloff."
        } else {
            return "Deep depth of field, everything sharp (\(stop))."
        }
    }

    static func focus(aperture: Double) -> String {
        if aperture < 2 {
            return "Sharp focus on the front of the product, with the background melting into soft blur."
        } else if aperture < 5.6 {
            return "Sharp focus across the product, with crisp edges and fine surface detail."
        } else {
            return "Everything in sharp focus, from the product's front edge to the background."
        }
    }

    /// Where a light comes from, as `"from upper front-right"`.
    static func lightDirection(_ position: Vector) -> String {
        let length = position.length
        guard length > 0 else { return "positioned at the product" }
        let deadZone = 0.1 * length
        func sign(_ value: Double) -> Int { value > deadZone ? 1 : (value < -deadZone ? -1 : 0) }
        let side = ["left", "", "right"][sign(position.x) + 1]
        let depth = ["back", "", "front"][sign(position.z) + 1]
        let horizontal: String
        switch (depth.isEmpty, side.isEmpty) {
        case (false, false): horizontal = "\(depth)-\(side)"
        case (false, true): horizontal = depth
        case (true, false): horizontal = side
        case (true, true): horizontal = ""
        }
        switch sign(position.y) {
        case 1: return horizontal.isEmpty ? "from directly above" : "from upper \(horizontal)"
        case -1: return horizontal.isEmpty ? "from directly below" : "from lower \(horizontal)"
        default: return "from the \(horizontal), level with the product"
        }
    }

    /// Where the key light's shadow falls (opposite the light, horizontally), or nil for a light from straight above/below.
    static func shadowFall(_ position: Vector) -> String? {
        let length = position.length
        guard length > 0 else { return nil }
        let deadZone = 0.1 * length
        func sign(_ value: Double) -> Int { value > deadZone ? 1 : (value < -deadZone ? -1 : 0) }
        let side = ["right", "", "left"][sign(position.x) + 1]
        let depth = ["front", "", "back"][sign(position.z) + 1]
        switch (depth.isEmpty, side.isEmpty) {
        case (false, false): return "falling toward the \(depth)-\(side)"
        case (false, true): return "falling toward the \(depth)"
        case (true, false): return "falling toward the \(side)"
        case (true, true): return sign(position.y) > 0 ? "pooling directly beneath the product" : nil
        }
    }

    /// Where the product sits in the frame, from the camera's x/y offset.
    static func locationText(camera: Vector, halfExtent: Double) -> String {
        guard halfExtent > 0, halfExtent.isFinite else { return "center" }
        func phrase(_ offset: Double, negative: (word: String, edge: String),
                    positive: (word: String, edge: String)) -> String? {
            let magnitude = abs(offset)
            let side = offset < 0 ? negative : positive
            if magnitude < 0.1 { return nil }
            if magnitude < 0.5 { return "slightly \(side.word) center" }
            if magnitude < 1 { return "\(side.word) center" }
            return "near the \(side.edge) edge of the frame"
        }
        // A camera moved right (+x) sees the product toward frame-left; moved up (+y), lower.
        let horizontal = phrase(-camera.x / halfExtent, negative: ("left of", "left"), positive: ("right of", "right"))
        let vertical = phrase(-camera.y / halfExtent, negative: ("below", "bottom"), positive: ("above", "top"))
        switch (horizontal, vertical) {
        case (nil, nil): return "center"
        case (let h?, nil): return h
        case (nil, let v?): return v
        case (let h?, let v?): return "\(h) and \(v)"
        }
    }
}
