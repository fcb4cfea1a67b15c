// Writes what the explorer shows to files: the current view as image or data, every view as a screenshot.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace bertlab::ui {

class AnalysisView;
class ViewSynchroniser;

// Files only ever hold the exact analysis: a bfloat16 preview (or an analysis still owed its
// masked-word guesses) on screen is waited out first, at most one pass.
class ViewExporter : public QObject {
    Q_OBJECT
public:
    // `window` is what screenshots grab and dialogs belong to; `waitForIdle(timeoutMs)` spins the
    // event loop until no load or analysis is pending (false on timeout).
    ViewExporter(QWidget* window, ViewSynchroniser* views, std::function<bool(int)> waitForIdle,
                 QObject* parent = nullptr);

    // The current view's main plot (PNG at dpi, PDF, SVG by suffix) or its numbers (CSV, JSON).
    bool exportCurrentImage(const QString& path, int dpi, QString* error);
    bool exportCurrentData(const QString& path, QString* error);
    // Renders every tab to dir/<name()>.png (English names whatever the UI language); *written gets the paths.
    bool renderScreenshots(const QString& dir, QString* error, QStringList* written = nullptr);

    // File dialogs (and the PNG resolution), then the export; the outcome comes as a signal.
    void chooseImageExport();
    void chooseDataExport();

signals:
    void exported(const QString& path);
    void failed(const QString& title, const QString& message);

private:
    bool settle(QString* error);
    // Spins the event loop while the view computes in the background (AnalysisView::isBusy).
    bool waitForView(AnalysisView* view, QString* error);
    // Settles, brings the current view up to date, runs `write` on it and records the ablation in
    // the file at `path`; false + *error otherwise.
    bool exportCurrent(const QString& path, const std::function<bool(AnalysisView*, QString*)>& write, QString* error);
    // A save dialog in the last export folder, suggesting <view>.<first filter's suffix>; a name
    // without a known suffix gets the chosen filter's. Empty: nothing to export, or cancelled.
    QString askForPath(const QString& what, const QStringList& filters);

    QWidget* window_;
    ViewSynchroniser* views_;
    std::function<bool(int)> waitForIdle_;
};

} // namespace bertlab::ui
