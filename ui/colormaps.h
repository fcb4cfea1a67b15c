// Colour-blind-safe colour maps (viridis, cividis, a diverging blue-white-red) and categorical colours.
#pragma once

#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>

#include <vector>

class QCPColorGradient;

namespace bertlab::ui {

// A continuous colour map built from evenly spaced anchor colours, interpolated linearly in sRGB.
// Usage:  QColor c = ColorMap::viridis().map(value, lo, hi);
//         plot->colorMap->setGradient(ColorMap::diverging().toQcpGradient());
class ColorMap {
public:
    ColorMap(QString name, std::vector<QColor> anchors, bool diverging);

    static const ColorMap& viridis();    // sequential, dark purple -> yellow (matplotlib's default)
    static const ColorMap& cividis();    // sequential, dark blue -> yellow; safe for red-green CVD
    static const ColorMap& diverging();  // blue (negative) -> near-white (0) -> red (positive)
    // Looks a map up by name ("viridis", "cividis", "diverging"); unknown names give viridis.
    static const ColorMap& byName(const QString& name);
    static QStringList names();

    const QString& name() const { return name_; }
    bool isDiverging() const { return diverging_; }

    // t in [0, 1] (clamped; NaN gives grey).
    QColor at(double t) const;
    // Maps value from [lo, hi] to a colour; lo == hi maps to the middle.
    QColor map(double value, double lo, double hi) const;
    // Diverging convenience: maps value from [-absMax, absMax] so that 0 sits on the neutral middle.
    QColor mapSymmetric(double value, double absMax) const;

    // The same map as a QCustomPlot gradient (for QCPColorMap / QCPColorScale).
    QCPColorGradient toQcpGradient() const;
    // A horizontal (or vertical, top = high) legend strip, for widgets that draw their own scale.
    QImage legendImage(int width, int height, bool vertical = false) const;

private:
    QString name_;
    std::vector<QColor> anchors_;
    bool diverging_;
};

// A ColorMap sampled at `levels` evenly spaced points (0 and 1 included), for images of many
// thousands of cells (embedding strips, head thumbnails) where interpolating a QColor per cell
// costs tens of milliseconds.
class ColorTable {
public:
    explicit ColorTable(const ColorMap& map, int levels = 256);
    // t in [0, 1] (clamped; NaN gives grey), to the nearest sample.
    QRgb at(float t) const;
    int levels() const { return static_cast<int>(table_.size()); }

private:
    std::vector<QRgb> table_;
};

// Okabe & Ito's eight colour-blind-safe categorical colours; index wraps around.
QColor categoricalColor(int index);
// Segment colours shared by every view: 0 = sentence A, 1 = sentence B, -1 = special tokens.
QColor segmentColor(int segment);
// Black or white, whichever reads better on `background`.
QColor textColorOn(const QColor& background);

} // namespace bertlab::ui
