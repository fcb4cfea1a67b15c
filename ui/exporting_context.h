// The tr() context ("bertlab::ui::Exporting") shared by the export functions, which are free functions.
#pragma once

#include <QCoreApplication>

namespace bertlab::ui::exporting {

struct Exporting {
    Q_DECLARE_TR_FUNCTIONS(bertlab::ui::Exporting)
};

} // namespace bertlab::ui::exporting
