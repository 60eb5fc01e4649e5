import BatchKit

/// A confirmation dialog, modelled as data: only `confirm` on a valid dialog yields the write.
///
/// Rule: focus starts on No (or on the first field), why: a stray Enter must never cancel or
/// resubmit anything. Bulk actions over `typedThreshold` targets also require typing the count.
public struct Dialog: Hashable, Sendable {
    /// What the dialog will do when confirmed.
    public enum Pending: Hashable, Sendable {
        case cancel(jobIDs: [String])
        case resubmit(jobID: String, failedOnly: Bool)
        case reclassify(subject: DecisionSubject)
        case approve(decisionID: String)
        case reject(decisionID: String)
    }

    /// Which control has focus.
    public enum Focus: Hashable, Sendable { case choice, text, typed, no, yes }

    /// "Cancel 3 jobs?"
    public var title: String
    /// Targets, skipped items and cost impact, one per line (untrusted parts sanitised when drawn).
    public var lines: [String]
    /// The write to perform on confirm.
    public var pending: Pending
    /// Options to pick from (reclassify), with the chosen index.
    public var choices: [ReclassifyTarget]
    /// The chosen option in `choices`.
    public var choiceIndex: Int
    /// Label of the free-text field ("reason", "comment"), nil when there is none.
    public var textLabel: String?
    /// The free text typed so far.
    public var text: String
    /// Whether confirm needs non-empty text.
    public var textRequired: Bool
    /// What the operator must type to confirm a bulk action (the count), nil when not needed.
    public var typedConfirmation: String?
    /// What was typed into the confirmation field.
    public var typed: String
    /// The control that receives keys.
    public var focus: Focus
    /// Why the last confirm was refused ("a reason is required").
    public var error: String?

    /// Bulk actions on more targets than this ask the operator to type the count.
    public static let typedThreshold = 5

    public init(
        title: String, lines: [String], pending: Pending, choices: [ReclassifyTarget] = [], choiceIndex: Int = 0,
        textLabel: String? = nil, textRequired: Bool = false, typedConfirmation: String? = nil
    ) {
        self.title = title; self.lines = lines; self.pending = pending; self.choices = choices
        self.choiceIndex = choiceIndex; self.textLabel = textLabel; self.text = ""; self.textRequired = textRequired
        self.typedConfirmation = typedConfirmation; self.typed = ""; self.error = nil
        // Start in the text field when there is one (arrows still pick the choice); never on Yes.
        self.focus = .no
        self.focus = textLabel != nil ? .text : (focusOrder.first ?? .no)
    }

    /// The controls in Tab order.
    public var focusOrder: [Focus] {
        var order: [Focus] = []
        if !choices.isEmpty { order.append(.choice) }
        if textLabel != nil { order.append(.text) }
        if typedConfirmation != nil { order.append(.typed) }
        return order + [.no, .yes]
    }

    /// Moves focus forward (or back) in Tab order.
    public mutating func cycleFocus(backwards: Bool = false) {
        let order = focusOrder
        let i = order.firstIndex(of: focus) ?? 0
        focus = order[(i + (backwards ? order.count - 1 : 1)) % order.count]
    }

    /// The write effect if the dialog is complete; otherwise the reason it is not.
    public func effect() -> Result<Effect, DialogIncomplete> {
        if textRequired, text.trimmingCharacters(in: .whitespaces).isEmpty {
            return .failure(DialogIncomplete(reason: "a \(textLabel ?? "reason") is required"))
        }
        if let need = typedConfirmation, typed.trimmingCharacters(in: .whitespaces) != need {
            return .failure(DialogIncomplete(reason: "type \(need) to confirm"))
        }
        let note = text.trimmingCharacters(in: .whitespaces)
        switch pending {
        case .cancel(let ids): return .success(.cancel(jobIDs: ids))
        case .resubmit(let id, let failedOnly): return .success(.resubmit(jobID: id, failedOnly: failedOnly))
        case .reclassify(let subject):
            guard choices.indices.contains(choiceIndex) else { return .failure(DialogIncomplete(reason: "choose a lane or class")) }
            return .success(.reclassify(target: subject, to: choices[choiceIndex], reason: note))
        case .approve(let id): return .success(.approve(decisionID: id, comment: note))
        case .reject(let id): return .success(.reject(decisionID: id, comment: note))
        }
    }
}

/// Why a dialog cannot be confirmed yet.
public struct DialogIncomplete: Error, Hashable, Sendable {
    /// What is missing, for the dialog's error line.
    public var reason: String
}

import Foundation
