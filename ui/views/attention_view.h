// The attention explorer: heatmap, lines, all-heads grid, head summary and values for one layer/head or a derived matrix.
#pragma once

#include "analysis_view.h"
#include "views/attention_math.h"

#include <vector>

class QComboBox;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTableWidget;
class QScrollArea;

namespace bertlab::ui {

class AttentionLines;
class HeadsGrid;
class HeatmapPlot;
class MatrixTableModel;

class AttentionView : public AnalysisView {
    Q_OBJECT
public:
    enum class Mode { Head, MeanOverHeads, Rollout };
    enum class Tab { Heatmap = 0, Lines, AllHeads, HeadSummary, Values };

    explicit AttentionView(QWidget* parent = nullptr);
    ~AttentionView() override;

    QString title() const override;
    QString name() const override { return QStringLiteral("attention"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    void setLayerHead(int layer, int head) override;
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    void setMode(Mode mode);
    Mode mode() const { return mode_; }
    void setFilter(SegmentFilter filter);
    SegmentFilter filter() const { return filter_; }
    void setCurrentTab(Tab tab);
    Tab currentTab() const;

    int layer() const { return layer_; }
    int head() const { return head_; }
    bool showsEmptyState() const;
    // The matrix every sub-view shows now (mode, then filter applied), [T, T].
    const AttentionMatrix& currentMatrix() const { return current_; }
    // Statistics of each head of the current layer, as the summary table shows them.
    const std::vector<HeadSummary>& headSummaries() const { return summaries_; }

    HeatmapPlot* heatmap() const { return heatmap_; }
    AttentionLines* lines() const { return lines_; }
    HeadsGrid* headsGrid() const { return grid_; }
    QTableWidget* summaryTable() const { return summaryTable_; }
    QTableView* valuesTable() const { return valuesTable_; }

private:
    void showEmpty(const QString& message);
    void refresh();            // recompute the current matrix, redraw every sub-view
    void refreshSummaries();   // per-head statistics of the current layer
    void syncControls();
    QString matrixName() const;
    QStringList tokenLabels() const;
    int layerCount() const;
    int headCount() const;
    int tokenCount() const;

    AnalysisPtr analysis_;
    Mode mode_ = Mode::Head;
    SegmentFilter filter_ = SegmentFilter::All;
    int layer_ = 0, head_ = 0;
    bool presentation_ = false;
    AttentionMatrix current_;
    std::vector<AttentionMatrix> rollout_;   // per layer, filled on first use
    std::vector<HeadSummary> summaries_;
    int summariesLayer_ = -1;

    QStackedWidget* stack_ = nullptr;
    QLabel* emptyLabel_ = nullptr;
    QWidget* controls_ = nullptr;
    QSpinBox* layerSpin_ = nullptr;
    QSpinBox* headSpin_ = nullptr;
    QComboBox* modeCombo_ = nullptr;
    QComboBox* filterCombo_ = nullptr;
    QLabel* caption_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    HeatmapPlot* heatmap_ = nullptr;
    QScrollArea* linesScroll_ = nullptr;
    AttentionLines* lines_ = nullptr;
    QScrollArea* gridScroll_ = nullptr;
    HeadsGrid* grid_ = nullptr;
    QTableWidget* summaryTable_ = nullptr;
    QTableView* valuesTable_ = nullptr;
    MatrixTableModel* valuesModel_ = nullptr;
};

} // namespace bertlab::ui
