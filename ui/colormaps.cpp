// Colour maps from published anchor values (matplotlib's viridis, Nuñez et al.'s cividis,
// ColorBrewer's RdBu) and Okabe & Ito's categorical palette.
#include "colormaps.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace bertlab::ui {

namespace {

std::vector<QColor> fromHex(std::initializer_list<const char*> hex)
{
    std::vector<QColor> colors;
    for (const char* h : hex)
        colors.emplace_back(QColor::fromString(QLatin1String(h)));
    return colors;
}

} // namespace

ColorMap::ColorMap(QString name, std::vector<QColor> anchors, bool diverging)
    : name_(std::move(name)), anchors_(std::move(anchors)), diverging_(diverging)
{
}

const ColorMap& ColorMap::viridis()
{
    // viridis sampled at 11 evenly spaced points.
    static const ColorMap map(QStringLiteral("viridis"),
                              fromHex({"#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21908d",
                                       "#22a884", "#43bf71", "#7ad151", "#bbdf27", "#fde725"}),
                              false);
    return map;
}

const ColorMap& ColorMap::cividis()
{
    // cividis sampled at 10 evenly spaced points.
    static const ColorMap map(QStringLiteral("cividis"),
                              fromHex({"#00204d", "#00336f", "#39486b", "#575c6d", "#707173", "#8a8779",
                                       "#a69d75", "#c4b56c", "#e4cf5b", "#ffea46"}),
                              false);
    return map;
}

const ColorMap& ColorMap::diverging()
{
    // ColorBrewer RdBu (11 classes) reversed so that negative is blue.
    static const ColorMap map(QStringLiteral("diverging"),
                              fromHex({"#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
                                       "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"}),
                              true);
    return map;
}

const ColorMap& ColorMap::byName(const QString& name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("cividis"))
        return cividis();
    if (n == QLatin1String("diverging") || n == QLatin1String("rdbu"))
        return diverging();
    return viridis();
}

QStringList ColorMap::names()
{
    return {QStringLiteral("viridis"), QStringLiteral("cividis"), QStringLiteral("diverging")};
}

QColor ColorMap::at(double t) const
{
    if (std::isnan(t))
        return QColor(128, 128, 128);
    t = std::clamp(t, 0.0, 1.0);
    const double pos = t * static_cast<double>(anchors_.size() - 1);
    const size_t i = std::min(static_cast<size_t>(pos), anchors_.size() - 2);
    const double f = pos - static_cast<double>(i);
    const QColor& a = anchors_[i];
    const QColor& b = anchors_[i + 1];
    auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * f)); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

QColor ColorMap::map(double value, double lo, double hi) const
{
    if (!(hi > lo))
        return at(0.5);
    return at((value - lo) / (hi - lo));
}

QColor ColorMap::mapSymmetric(double value, double absMax) const
{
    if (!(absMax > 0.0))
        return at(0.5);
    return at(0.5 + 0.5 * value / absMax);
}

ColorTable::ColorTable(const ColorMap& map, int levels)
{
    levels = std::max(2, levels);
    table_.resize(static_cast<size_t>(levels));
    for (int i = 0; i < levels; ++i)
        table_[static_cast<size_t>(i)] = map.at(static_cast<double>(i) / (levels - 1)).rgb();
}

QRgb ColorTable::at(float t) const
{
    if (std::isnan(t))
        return qRgb(128, 128, 128);  // as ColorMap::at
    const float top = static_cast<float>(table_.size() - 1);
    return table_[static_cast<size_t>(std::lround(std::clamp(t, 0.f, 1.f) * top))];
}

QCPColorGradient ColorMap::toQcpGradient() const
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    for (size_t i = 0; i < anchors_.size(); ++i)
        gradient.setColorStopAt(static_cast<double>(i) / static_cast<double>(anchors_.size() - 1), anchors_[i]);
    gradient.setLevelCount(256);
    return gradient;
}

QImage ColorMap::legendImage(int width, int height, bool vertical) const
{
    QImage image(std::max(1, width), std::max(1, height), QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const double t = vertical ? 1.0 - static_cast<double>(y) / std::max(1, image.height() - 1)
                                      : static_cast<double>(x) / std::max(1, image.width() - 1);
            image.setPixel(x, y, at(t).rgb());
        }
    }
    return image;
}

QColor categoricalColor(int index)
{
    static const std::vector<QColor> palette = fromHex(
        {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"});
    const int n = static_cast<int>(palette.size());
    return palette[static_cast<size_t>(((index % n) + n) % n)];
}

QColor segmentColor(int segment)
{
    if (segment == 0)
        return QColor::fromString(QLatin1String("#56b4e9"));  // sky blue
    if (segment == 1)
        return QColor::fromString(QLatin1String("#e69f00"));  // orange
    return QColor(150, 150, 150);
}

QColor textColorOn(const QColor& background)
{
    // Relative luminance per WCAG; the threshold where black and white have equal contrast.
    auto lin = [](double c) {
        c /= 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const double l = 0.2126 * lin(background.red()) + 0.7152 * lin(background.green()) +
                     0.0722 * lin(background.blue());
    return l > 0.179 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace bertlab::ui
