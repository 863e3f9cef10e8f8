import Foundation

/// The studio frame the compiler reasons in: positions, framing by how much of the view the
/// product fills, camera elevation and the product's turn.
extension StructuredPromptCompiler {
    struct Vector: Equatable {
        var x: Double
        var y: Double
        var z: Double

        init(x: Double, y: Double, z: Double) {
            self.x = x
            self.y = y
            self.z = z
        }

        init?(_ value: JSONValue?) {
            guard let object = value?.objectValue else { return nil }
            x = object["x"]?.numberValue ?? 0
            y = object["y"]?.numberValue ?? 0
            z = object["z"]?.numberValue ?? 0
        }

        var length: Double { (x * x + y * y + z * z).squareRoot() }
    }


    enum Framing {
        case closeUp, tight, medium, wide

        init(halfExtent: Double) {
            if halfExtent < 1 {
                self = .closeUp
            } else if halfExtent < 2.5 {
                self = .tight
            } else if halfExtent < 4.5 {
                self = .medium
            } else {
                self = .wide
            }
        }

        var phrase: String {
            switch self {
            case .closeUp: return "close-up framing"
            case .tight: return "tight framing"
            case .medium: return "medium framing"
            case .wide: return "wide framing"
            }
        }

        var relativeSize: String {
            switch self {
            case .closeUp: return "filling most of the frame"
            case .tight: return "large within frame"
            case .medium: return "medium-sized within frame"
            case .wide: return "small within frame"
            }
        }

        var compositionDetail: String {
            switch self {
            case .closeUp: return "close-up framing that fills the frame with product detail"
            case .tight: return "tight framing with slight breathing room around the subject"
            case .medium: return "medium framing with comfortable negative space around the subject"
            case .wide: return "wide framing with ample negative space around the subject"
            }
        }
    }

    /// Camera elevation above the x-z plane, bucketed at ±10°, 30° and 60°.
    enum Elevation {
        case overhead, high, slightlyAbove, eyeLevel, slightlyBelow, low

        init(_ camera: Vector) {
            // Compare y against the horizontal distance with fixed tangents, so no libm call decides a bucket.
            let horizontal = (camera.x * camera.x + camera.z * camera.z).squareRoot()
            let y = camera.y
            if y >= 1.7320508075688772 * horizontal, y > 0 {  // tan 60°
                self = .overhead
            } else if y >= 0.5773502691896257 * horizontal, y > 0 {  // tan 30°
                self = .high
            } else if y >= 0.17632698070846498 * horizontal, y > 0 {  // tan 10°
                self = .slightlyAbove
            } else if y > -0.17632698070846498 * horizontal || y == 0 {
                self = .eyeLevel
            } else if y > -0.5773502691896257 * horizontal {
                self = .slightlyBelow
            } else {
                self = .low
            }
        }

        var label: String {
            switch self {
            case .overhead: return "Overhead, top-down"
            case .high: return "High angle"
            case .slightlyAbove: return "Slightly above eye level"
            case .eyeLevel: return "Eye-level"
            case .slightlyBelow: return "Slightly below eye level"
            case .low: return "Low angle"
            }
        }

        var clause: String {
            switch self {
            case .overhead: return "from directly overhead"
            case .high: return "from a high angle"
            case .slightlyAbove: return "from slightly above eye level"
            case .eyeLevel: return "at eye level"
            case .slightlyBelow: return "from slightly below eye level"
            case .low: return "from a low angle"
            }
        }
    }

    /// The product's turn, from camera rotation y in degrees (positive: turned to the left).
    struct Orientation {
        let description: String
        let view: String

        init(yaw: Double) {
            var angle = yaw.isFinite ? yaw.truncatingRemainder(dividingBy: 360) : 0
            if angle > 180 { angle -= 360 } else if angle <= -180 { angle += 360 }
            let magnitude = abs(angle)
            let turned = "Turned \(format(magnitude)) degrees to the \(angle > 0 ? "left" : "right")"
            if magnitude < 0.5 {
                description = "Facing the camera, straight-on front view."
                view = "straight-on product view"
            } else if magnitude < 20 {
                description = "\(turned), nearly straight-on."
                view = "near straight-on product view"
            } else if magnitude < 70 {
                description = "\(turned), three-quarter view."
                view = "three-quarter product view"
            } else if magnitude < 110 {
                description = "\(turned), side profile view."
                view = "side profile view"
            } else if magnitude < 179.5 {
                description = "\(turned), rear three-quarter view."
                view = "rear three-quarter view"
            } else {
                description = "Facing away from the camera, rear view."
                view = "rear view"
            }
        }
    }
}
