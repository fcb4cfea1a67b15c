// The help boxes' text and behaviour.
#include "help_dialogs.h"

#include "analysis_view.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QString>

namespace bertlab::ui {

namespace {

// Gives the free functions a tr() context that lupdate and the translator agree on.
struct HelpDialogs {
    Q_DECLARE_TR_FUNCTIONS(bertlab::ui::HelpDialogs)
};

} // namespace

void showViewExplanation(QWidget* parent, const AnalysisView* view)
{
    const QString text = view ? view->explanation() : HelpDialogs::tr("Open a model to start exploring.");
    auto* box = new QMessageBox(QMessageBox::Information, HelpDialogs::tr("What am I looking at?"), text, QMessageBox::Close, parent);
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

QString ablationExplanation()
{
    return HelpDialogs::tr("<p><b>Switching heads off (ablation).</b> A switched-off head still computes its attention, but its "
              "probabilities are multiplied by 0 before they weigh the value vectors, so it adds nothing to the "
              "layer's output; the output projection and the residual connection are unchanged. This is Hugging "
              "Face's <tt>head_mask</tt>, and <tt>bertlab-cli --ablate 3:5</tt> does the same (heads counted from 1; "
              "<tt>3:*</tt> is all of layer 3).</p>"
              "<p>Every view then shows the changed model: its heatmaps show the switched-off heads as zeros, the "
              "masked-word bars show the intact model's probability beside each new one (grey), the next-sentence "
              "view gives before → after, and the logit lens marks the layers whose top guess changed.</p>"
              "<p>If a guess hardly moves, the model did not need that head for it, which is not the same as the "
              "head doing nothing: other heads may do the same work. Attention maps show where a head looks; "
              "switching it off shows whether the answer depends on it.</p>"
              "<p>Click a head's switch (the small circle in its corner) or Ctrl+click it in <i>All heads</i>, "
              "click a layer's label for the whole layer, or use Ctrl+K (selected head), Ctrl+Shift+K (selected "
              "layer) and Ctrl+R (everything back on).</p>");
}

void showAblationExplanation(QWidget* parent)
{
    auto* box = new QMessageBox(QMessageBox::Information, HelpDialogs::tr("What does switching a head off mean?"),
                                ablationExplanation(), QMessageBox::Close, parent);
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void showAboutBertlab(QWidget* parent)
{
    QMessageBox::about(parent, HelpDialogs::tr("About bertlab"),
                       HelpDialogs::tr("<h3>bertlab %1</h3><p>A native desktop lab for BERT: see how the input is "
                          "embedded, where each head attends, what the masked-LM head guesses and whether "
                          "sentence B follows sentence A.</p><p>Built with Qt %2 and QCustomPlot.</p>")
                           .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace bertlab::ui
