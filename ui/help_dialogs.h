// Help ▸ What Am I Looking At? and Help ▸ About: the explorer's two help boxes.
#pragma once

class QString;
class QWidget;

namespace bertlab::ui {

class AnalysisView;

// The view's explanation in a non-modal box (the user keeps exploring beside it); null: how to start.
void showViewExplanation(QWidget* parent, const AnalysisView* view);
void showAboutBertlab(QWidget* parent);
// What switching heads off means (the ablation banner's link).
QString ablationExplanation();
void showAblationExplanation(QWidget* parent);

} // namespace bertlab::ui
