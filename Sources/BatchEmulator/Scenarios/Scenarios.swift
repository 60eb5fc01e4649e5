/// Builds the starting world of a scenario.
enum Scenarios {
    static func build(_ name: ScenarioName, into world: inout EmulatorWorld, now: Int64) {
        switch name {
        case .empty: break
        case .demo: DemoScenario.build(into: &world, now: now)
        }
    }
}
