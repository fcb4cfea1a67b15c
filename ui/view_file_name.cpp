// Lower-cases a view title and joins its words with dashes.
#include "view_file_name.h"

namespace bertlab::ui {

QString fileNameForView(const QString& title)
{
    QString s;
    for (const QChar c : title.toLower()) {
        if (c.isLetterOrNumber())
            s += c;
        else if (!s.isEmpty() && !s.endsWith(QLatin1Char('-')))
            s += QLatin1Char('-');
    }
    while (s.endsWith(QLatin1Char('-')))
        s.chop(1);
    return s.isEmpty() ? QStringLiteral("view") : s;
}

} // namespace bertlab::ui
