// "12.3%": how the views print a probability in [0, 1].
#pragma once

#include <QString>

namespace bertlab::ui {

inline QString percentText(double p)
{
    return QStringLiteral("%1%").arg(100.0 * p, 0, 'f', 1);
}

} // namespace bertlab::ui
