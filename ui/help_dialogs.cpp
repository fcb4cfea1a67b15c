// The help boxes' text and behaviour.
#include "help_dialogs.h"

#include "analysis_view.h"

#include <QCoreApplication>
#include <QMessageBox>

namespace bertlab::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("bertlab::ui::HelpDialogs", text);
}

} // namespace

void showViewExplanation(QWidget* parent, const AnalysisView* view)
{
    const QString text = view ? view->explanation() : tr("Open a model to start exploring.");
    auto* box = new QMessageBox(QMessageBox::Information, tr("What am I looking at?"), text, QMessageBox::Close, parent);
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void showAboutBertlab(QWidget* parent)
{
    QMessageBox::about(parent, tr("About bertlab"),
                       tr("<h3>bertlab %1</h3><p>A native desktop lab for BERT: see how the input is "
                          "embedded, where each head attends, what the masked-LM head guesses and whether "
                          "sentence B follows sentence A.</p><p>Built with Qt %2 and QCustomPlot.</p>")
                           .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace bertlab::ui
