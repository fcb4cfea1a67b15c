// Export and screenshot of the explorer's views, with the file dialogs that lead to them.
#include "view_exporter.h"

#include "analysis_view.h"
#include "app_settings.h"
#include "export.h"
#include "export_metadata.h"
#include "view_file_name.h"
#include "view_synchroniser.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QRegularExpression>

#include <algorithm>
#include <exception>

namespace bertlab::ui {

namespace {

constexpr int kSettleTimeoutMs = 120000;

QString suffixOfFilter(const QString& filter)  // "PDF document (*.pdf)" -> "pdf"
{
    static const QRegularExpression pattern(QStringLiteral("\\*\\.(\\w+)"));
    return pattern.match(filter).captured(1);
}

} // namespace

ViewExporter::ViewExporter(QWidget* window, ViewSynchroniser* views, std::function<bool(int)> waitForIdle,
                           QObject* parent)
    : QObject(parent), window_(window), views_(views), waitForIdle_(std::move(waitForIdle))
{
}

bool ViewExporter::settle(QString* error)
{
    const AnalysisPtr shown = views_->analysis();
    if (shown && shown->followUpPending() && !waitForIdle_(kSettleTimeoutMs)) {
        if (error)
            *error = tr("The exact analysis is still running; try again in a moment.");
        return false;
    }
    return true;
}

bool ViewExporter::exportCurrent(const QString& path, const std::function<bool(AnalysisView*, QString*)>& write,
                                 QString* error)
{
    if (!settle(error))
        return false;
    AnalysisView* view = views_->currentView();
    if (!view || !views_->analysis()) {
        if (error)
            *error = tr("Nothing to export yet.");
        return false;
    }
    views_->sync(view);
    if (!waitForView(view, error))
        return false;
    try {
        // The file says which heads were off: an ablated model's numbers must not pass for the intact one's.
        const QString ablation = QString::fromStdString(views_->analysis()->request.ablation.toString());
        return write(view, error) && exporting::stampAblation(path, ablation, error);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool ViewExporter::exportCurrentImage(const QString& path, int dpi, QString* error)
{
    return exportCurrent(path, [&](AnalysisView* v, QString* e) { return v->exportImage(path, dpi, e); }, error);
}

bool ViewExporter::exportCurrentData(const QString& path, QString* error)
{
    return exportCurrent(path, [&](AnalysisView* v, QString* e) { return v->exportData(path, e); }, error);
}

bool ViewExporter::renderScreenshots(const QString& dir, QString* error, QStringList* written)
{
    if (!settle(error))
        return false;
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("Cannot create the folder %1").arg(dir);
        return false;
    }
    AnalysisView* previous = views_->currentView();
    for (AnalysisView* view : views_->views()) {
        views_->showView(view);
        views_->sync(view);
        if (!waitForView(view, error))
            return false;
        // Let layouts settle, then make every plot draw at its final size before grabbing.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        for (QCustomPlot* plot : window_->findChildren<QCustomPlot*>())
            if (plot->isVisible())
                plot->replot(QCustomPlot::rpImmediateRefresh);
        QCoreApplication::processEvents();
        const QImage image = window_->grab().toImage();
        if (image.isNull()) {
            if (error)
                *error = tr("Could not render the %1 view").arg(view->title());
            return false;
        }
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        const QString path = QDir(dir).filePath(view->name() + QStringLiteral(".png"));
        if (!exporting::writeFileAtomically(path, png, error))
            return false;
        if (written)
            written->append(path);
    }
    views_->showView(previous);
    return true;
}

bool ViewExporter::waitForView(AnalysisView* view, QString* error)
{
    QElapsedTimer clock;
    clock.start();
    while (view->isBusy()) {
        if (clock.elapsed() > kSettleTimeoutMs) {
            if (error)
                *error = tr("The %1 view is still computing; try again in a moment.").arg(view->title());
            return false;
        }
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

QString ViewExporter::askForPath(const QString& what, const QStringList& filters)
{
    AnalysisView* view = views_->currentView();
    if (!view || !views_->analysis()) {
        emit failed(tr("Nothing to export"), tr("Open a model and analyse a sentence first."));
        return {};
    }
    AppSettings settings;
    QString selectedFilter;
    const QString suggested = QDir(settings.lastDirectory(QStringLiteral("export")))
                                  .filePath(fileNameForView(view->title()) + QLatin1Char('.') + suffixOfFilter(filters.first()));
    QString path = QFileDialog::getSaveFileName(window_, what.arg(view->title()), suggested,
                                                filters.join(QStringLiteral(";;")), &selectedFilter);
    if (path.isEmpty())
        return {};
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (std::none_of(filters.begin(), filters.end(), [&](const QString& f) { return suffixOfFilter(f) == suffix; }))
        path += QLatin1Char('.') + suffixOfFilter(selectedFilter.isEmpty() ? filters.first() : selectedFilter);
    settings.setLastDirectory(QStringLiteral("export"), QFileInfo(path).absolutePath());
    return path;
}

void ViewExporter::chooseImageExport()
{
    const QString path = askForPath(tr("Export %1 Image"), {tr("PNG image (*.png)"), tr("PDF document (*.pdf)"),
                                                            tr("SVG drawing (*.svg)")});
    if (path.isEmpty())
        return;
    AppSettings settings;
    int dpi = settings.exportDpi();
    if (exporting::imageFormatFor(path) == exporting::ImageFormat::Png) {
        const QStringList choices = {QStringLiteral("96"), QStringLiteral("144"), QStringLiteral("192"),
                                     QStringLiteral("300"), QStringLiteral("600")};
        bool ok = false;
        const int current = static_cast<int>(std::max<qsizetype>(0, choices.indexOf(QString::number(dpi))));
        const QString choice =
            QInputDialog::getItem(window_, tr("PNG resolution"), tr("Dots per inch:"), choices, current, false, &ok);
        if (!ok)
            return;
        dpi = choice.toInt();
        settings.setExportDpi(dpi);
    }
    QString error;
    if (exportCurrentImage(path, dpi, &error))
        emit exported(path);
    else
        emit failed(tr("Export failed"), error);
}

void ViewExporter::chooseDataExport()
{
    const QString path = askForPath(tr("Export %1 Data"), {tr("CSV table (*.csv)"), tr("JSON (*.json)")});
    if (path.isEmpty())
        return;
    QString error;
    if (exportCurrentData(path, &error))
        emit exported(path);
    else
        emit failed(tr("Export failed"), error);
}

} // namespace bertlab::ui
