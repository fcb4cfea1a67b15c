<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>BuiltinTasks</name>
    <message>
        <location filename="../ui/finetune/builtin_tasks.cpp" line="+31"/>
        <source>Brown genre</source>
        <translation>Género (Brown)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sentence classification: press reportage, religion, learned or general fiction (5,675 training and 1,200 dev sentences)</source>
        <translation>Clasificación de oraciones: reportaje de prensa, religión, textos académicos o ficción general (5.675 oraciones de entrenamiento y 1.200 de validación)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Brown part of speech</source>
        <translation>Categoría gramatical (Brown)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token classification: twelve coarse tags (NOUN, VERB, ADJ, …) for every word (6,000 training and 1,000 dev sentences)</source>
        <translation>Clasificación de tokens: doce etiquetas generales (NOUN, VERB, ADJ, …) para cada palabra (6.000 oraciones de entrenamiento y 1.000 de validación)</translation>
    </message>
</context>
<context>
    <name>ExplorerActions</name>
    <message>
        <location filename="../ui/explorer_actions.cpp" line="+24"/>
        <source>&amp;Open Model…</source>
        <translation>&amp;Abrir modelo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open From &amp;Hugging Face…</source>
        <translation>Abrir desde &amp;Hugging Face…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open From Hugging Face &amp;Cache…</source>
        <translation>Abrir desde la &amp;caché de Hugging Face…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Session…</source>
        <translation>Abrir &amp;sesión…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save Session…</source>
        <translation>&amp;Guardar sesión…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export View &amp;Image (PNG / PDF / SVG)…</source>
        <translation>Exportar &amp;imagen de la vista (PNG / PDF / SVG)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export View &amp;Data (CSV / JSON)…</source>
        <translation>Exportar &amp;datos de la vista (CSV / JSON)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Presentation Mode</source>
        <translation>Modo &amp;presentación</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Dark Palette</source>
        <translation>Paleta &amp;oscura</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast &amp;Preview While Typing</source>
        <translation>&amp;Vista previa rápida al escribir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next Layer</source>
        <translation>Capa siguiente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous Layer</source>
        <translation>Capa anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next Head</source>
        <translation>Cabeza siguiente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous Head</source>
        <translation>Cabeza anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Switch Selected &amp;Head Off / On</source>
        <translation>Apagar / encender la &amp;cabeza seleccionada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Switch Selected &amp;Layer Off / On</source>
        <translation>Apagar / encender la c&amp;apa seleccionada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reset Switched-Off Heads</source>
        <translation>&amp;Restablecer las cabezas apagadas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;What Am I Looking At?</source>
        <translation>¿&amp;Qué estoy viendo?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About bertlab</source>
        <translation>&amp;Acerca de bertlab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download a BERT from the Hugging Face Hub into the cache transformers shares, and open it</source>
        <translation>Descargar un BERT del Hugging Face Hub a la caché que comparte transformers y abrirlo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a BERT model already in the Hugging Face cache</source>
        <translation>Abrir un modelo BERT que ya está en la caché de Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show a bfloat16 analysis at once, then the exact float32 one</source>
        <translation>Mostrar de inmediato un análisis en bfloat16 y después el exacto en float32</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multiply the selected head&apos;s attention by 0 (Hugging Face&apos;s head_mask) and re-run</source>
        <translation>Multiplicar por 0 la atención de la cabeza seleccionada (el head_mask de Hugging Face) y volver a ejecutar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/finetune/finetune_controller.cpp" line="+25"/>
        <source>Training</source>
        <translation>Entrenamiento</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Training</source>
        <translation>&amp;Entrenamiento</translation>
    </message>
    <message>
        <location filename="../ui/training/new_run_dialog.cpp" line="+50"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+341"/>
        <source>%L1 documents · %L2 sentences · %3 · %4</source>
        <translation>%L1 documentos · %L2 oraciones · %3 · %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>one sentence per line</source>
        <translation>una oración por línea</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paragraphs</source>
        <translation>párrafos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not usable: %1</source>
        <translation>No utilizable: %1</translation>
    </message>
    <message>
        <location filename="../ui/training/run_view.cpp" line="+53"/>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <location filename="../ui/views/masking_lab_panel.cpp" line="+36"/>
        <source>→ [MASK] (80%)</source>
        <translation>→ [MASK] (80%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>→ random token (10%)</source>
        <translation>→ token aleatorio (10%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>kept, still predicted (10%)</source>
        <translation>se conserva, aún se predice (10%)</translation>
    </message>
</context>
<context>
    <name>bertlab</name>
    <message>
        <location filename="../app/gui/main.cpp" line="+252"/>
        <source>Cannot open session</source>
        <translation>No se puede abrir la sesión</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AblationBanner</name>
    <message>
        <location filename="../ui/ablation_banner.cpp" line="+29"/>
        <source>Reset (Ctrl+R)</source>
        <translation>Restablecer (Ctrl+R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Switch every head back on</source>
        <translation>Volver a encender todas las cabezas</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Switched off: %1</source>
        <translation>Apagadas: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Switched off:&lt;/b&gt; %1 &amp;nbsp;·&amp;nbsp; every view shows the model without them. &lt;a href=&apos;explain&apos;&gt;What does this mean?&lt;/a&gt;</source>
        <translation>&lt;b&gt;Apagadas:&lt;/b&gt; %1 &amp;nbsp;·&amp;nbsp; todas las vistas muestran el modelo sin ellas. &lt;a href=&apos;explain&apos;&gt;¿Qué significa esto?&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AblationController</name>
    <message>
        <location filename="../ui/ablation_controller.cpp" line="+73"/>
        <source>L%1 (all heads)</source>
        <translation>L%1 (todas las cabezas)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L%1 H%2</source>
        <translation>L%1 H%2</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AnalysisWorker</name>
    <message>
        <location filename="../ui/analysis_worker.cpp" line="+159"/>
        <source>The analysis failed for an unknown reason.</source>
        <translation>El análisis falló por un motivo desconocido.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AttentionLines</name>
    <message>
        <location filename="../ui/views/attention_lines.cpp" line="+22"/>
        <source>Attention lines</source>
        <translation>Líneas de atención</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Query tokens on the left, key tokens on the right, one line per pair with opacity equal to the attention weight.</source>
        <translation>Tokens de consulta a la izquierda y tokens clave a la derecha, una línea por par con una opacidad igual al peso de atención.</translation>
    </message>
    <message>
        <location line="+67"/>
        <location line="+92"/>
        <source>query (from)</source>
        <translation>consulta (desde)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>key (to)</source>
        <translation>clave (hacia)</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AttentionView</name>
    <message>
        <location filename="../ui/views/attention_view.cpp" line="+45"/>
        <source>A to B</source>
        <translation>de A a B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B to A</source>
        <translation>de B a A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>within sentence</source>
        <translation>dentro de la oración</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all pairs</source>
        <translation>todos los pares</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Encoder layer, counted from 1</source>
        <translation>Capa del codificador, contando desde 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attention head, counted from 1</source>
        <translation>Cabeza de atención, contando desde 1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Selected head</source>
        <translation>Cabeza seleccionada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean over heads</source>
        <translation>Media de las cabezas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attention rollout</source>
        <translation>Propagación de la atención (rollout)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rollout multiplies 0.5·(mean attention) + 0.5·I through layers 1..L and renormalises rows</source>
        <translation>El rollout multiplica 0,5·(atención media) + 0,5·I a través de las capas 1..L y renormaliza las filas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All pairs</source>
        <translation>Todos los pares</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A → B</source>
        <translation>A → B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B → A</source>
        <translation>B → A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Within sentence</source>
        <translation>Dentro de la oración</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+261"/>
        <source>Keep only query→key pairs by sentence (token type id); other cells become 0</source>
        <translation>Conservar solo los pares consulta→clave según la oración (token type id); las demás celdas pasan a 0</translation>
    </message>
    <message>
        <location line="-260"/>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+35"/>
        <source>Head</source>
        <translation>Cabeza</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pairs</source>
        <translation>Pares</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Attention heatmap</source>
        <translation>Mapa de calor de la atención</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows: query tokens; columns: key tokens; colour: attention weight.</source>
        <translation>Filas: tokens de consulta; columnas: tokens clave; color: peso de atención.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>query token (attends from)</source>
        <translation>token de consulta (atiende desde)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>key token (attended to)</source>
        <translation>token clave (recibe la atención)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>attention weight</source>
        <translation>peso de atención</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heatmap</source>
        <translation>Mapa de calor</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Lines</source>
        <translation>Líneas</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All heads</source>
        <translation>Todas las cabezas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Entropy (bits)</source>
        <translation>Entropía (bits)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>→ [CLS]</source>
        <translation>→ [CLS]</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>→ [SEP]</source>
        <translation>→ [SEP]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>→ self</source>
        <translation>→ sí mismo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>→ previous</source>
        <translation>→ anterior</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>→ next</source>
        <translation>→ siguiente</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Head summary</source>
        <translation>Resumen de cabezas</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Values</source>
        <translation>Valores</translation>
    </message>
    <message>
        <location line="+35"/>
        <location line="+81"/>
        <source>Run an analysis to see where each token looks.</source>
        <translation>Ejecute un análisis para ver hacia dónde mira cada token.</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>Attention</source>
        <translation>Atención</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Each attention head lets every token (a row, the query) take a weighted average of all tokens (the columns, the keys); each row&apos;s weights are positive and sum to 1. The heatmap shows those weights for the selected layer and head, the lines view draws one line per pair with opacity equal to the weight (hover a token to isolate it), and the grid shows every head of every layer at once: click one to select it, click its corner switch (or Ctrl+click it, or press Ctrl+K) to switch it off, click a layer&apos;s label to switch the whole layer off; switched-off heads are greyed and crossed, their attention is zero and every view shows the model without them. &quot;Mean over heads&quot; averages a layer&apos;s heads; &quot;attention rollout&quot; multiplies 0.5·(mean attention) + 0.5·identity through layers 1 to the selected one to estimate how much each output token draws on each input token. The pair filter keeps only attention from sentence A to B, from B to A, or within a sentence. Attention weights show where a head reads from, not why the model decides what it does.</source>
        <translation>Cada cabeza de atención permite que cada token (una fila, la consulta) tome una media ponderada de todos los tokens (las columnas, las claves); los pesos de cada fila son positivos y suman 1. El mapa de calor muestra esos pesos para la capa y la cabeza seleccionadas; la vista de líneas dibuja una línea por par con una opacidad igual al peso (pase el ratón sobre un token para aislarlo), y la cuadrícula muestra a la vez todas las cabezas de todas las capas: haga clic en una para seleccionarla, haga clic en su interruptor de la esquina (o Ctrl+clic sobre ella, o pulse Ctrl+K) para apagarla, y haga clic en la etiqueta de una capa para apagar la capa entera; las cabezas apagadas aparecen en gris y tachadas, su atención es cero y todas las vistas muestran el modelo sin ellas. «Media de las cabezas» promedia las cabezas de una capa; la «propagación de la atención» (rollout) multiplica 0,5·(atención media) + 0,5·identidad a través de las capas 1 hasta la seleccionada para estimar cuánto toma cada token de salida de cada token de entrada. El filtro de pares conserva solo la atención de la oración A hacia la B, de la B hacia la A, o dentro de una misma oración. Los pesos de atención muestran de dónde lee una cabeza, no por qué el modelo decide lo que decide.</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>This run kept no attention matrices (or they have inconsistent shapes).</source>
        <translation>Esta ejecución no conservó matrices de atención (o sus formas no son coherentes).</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>There is no sentence B: A → B and B → A are empty</source>
        <translation>No hay oración B: A → B y B → A están vacíos</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>layer %1 head %2</source>
        <translation>capa %1 cabeza %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>layer %1 mean over %2 heads</source>
        <translation>capa %1, media de %2 cabezas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rollout through layers 1–%1</source>
        <translation>rollout a través de las capas 1–%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>attention %1 (%2)</source>
        <translation>atención %1 (%2)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — rows: query tokens, columns: key tokens.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — filas: tokens de consulta; columnas: tokens clave.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Rollout rows sum to 1: how much each token after layer %1 draws on each input token.</source>
        <translation> Las filas del rollout suman 1: cuánto toma cada token tras la capa %1 de cada token de entrada.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Filtered-out pairs are grey (0 in the values); kept cells keep their weight, so a row&apos;s sum is its share of %1 attention.</source>
        <translation> Los pares filtrados aparecen en gris (0 en los valores); las celdas conservadas mantienen su peso, así que la suma de una fila es su parte de la atención %1.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>L%1 H%2</source>
        <translation>L%1 H%2</translation>
    </message>
    <message>
        <location line="+37"/>
        <location line="+28"/>
        <source>Nothing to export: no attention is shown.</source>
        <translation>Nada que exportar: no se muestra ninguna atención.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>head summary, layer %1</source>
        <translation>resumen de cabezas, capa %1</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AttributionTargets</name>
    <message>
        <location filename="../ui/attribution_targets.cpp" line="+30"/>
        <source>[MASK] at %1 → %2 (%3%)</source>
        <translation>[MASK] en %1 → %2 (%3%)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Next sentence: log p(B follows A)</source>
        <translation>Oración siguiente: log p(B sigue a A)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This model has neither a masked-LM head nor a next-sentence head, so there is no guess or verdict to explain. (Its checkpoint holds only the encoder.)</source>
        <translation>Este modelo no tiene cabeza de lenguaje enmascarado ni cabeza de oración siguiente, así que no hay predicción ni veredicto que explicar. (Su checkpoint solo contiene el codificador.)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This model has no masked-LM head; add a sentence B to explain its next-sentence verdict.</source>
        <translation>Este modelo no tiene cabeza de lenguaje enmascarado; añada una oración B para explicar su veredicto de oración siguiente.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing to explain yet: click a token in the input panel to mask it (or type [MASK]); this model has no next-sentence head.</source>
        <translation>Todavía no hay nada que explicar: haga clic en un token del panel de entrada para enmascararlo (o escriba [MASK]); este modelo no tiene cabeza de oración siguiente.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing to explain yet: click a token in the input panel to mask it (or type [MASK]), or add a sentence B for the next-sentence verdict.</source>
        <translation>Todavía no hay nada que explicar: haga clic en un token del panel de entrada para enmascararlo (o escriba [MASK]), o añada una oración B para obtener el veredicto de oración siguiente.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>log p(IsNext)</source>
        <translation>log p(IsNext)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>log p(%1 at position %2)</source>
        <translation>log p(%1 en la posición %2)</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::AttributionView</name>
    <message>
        <location filename="../ui/views/attribution_view.cpp" line="+57"/>
        <source>Explain</source>
        <translation>Explicar</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The number to explain: a masked position&apos;s guess (click a bar in Masked words) or the next-sentence verdict</source>
        <translation>El número que se explica: la predicción en una posición enmascarada (haga clic en una barra de Palabras enmascaradas) o el veredicto de oración siguiente</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>by</source>
        <translation>mediante</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gradient norm (grad)</source>
        <translation>norma del gradiente (grad)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gradient × input (grad-input)</source>
        <translation>gradiente × entrada (grad-input)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>integrated gradients (ig)</source>
        <translation>gradientes integrados (ig)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>steps </source>
        <translation>pasos </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integrated gradients: points on the straight path from the all-zero input to yours</source>
        <translation>Gradientes integrados: puntos en el camino recto desde la entrada toda a cero hasta la suya</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Tokens coloured by attribution</source>
        <translation>Tokens coloreados según su atribución</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Attribution per token</source>
        <translation>Atribución por token</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cancelled. Change the target or method to compute again.</source>
        <translation>Cancelado. Cambie el objetivo o el método para volver a calcular.</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+112"/>
        <source>Run an analysis with a [MASK] (or a sentence pair) to see which words a guess rests on.</source>
        <translation>Ejecute un análisis con un [MASK] (o un par de oraciones) para ver en qué palabras se apoya una predicción.</translation>
    </message>
    <message>
        <location line="-105"/>
        <source>Attribution</source>
        <translation>Atribución</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;&lt;b&gt;Which input words does this guess rest on?&lt;/b&gt; Pick a target — the log-probability of one guess at a masked position (click any bar in &lt;i&gt;Masked words&lt;/i&gt;) or the next-sentence verdict, log p(IsNext) — and a method. Each token&apos;s input is its word-embedding vector e&lt;sub&gt;t&lt;/sub&gt; (before position and segment embeddings are added); the colours and bars say how much the target depends on it: red raises the target, blue lowers it.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;grad&lt;/b&gt;: the size of ∂target/∂e&lt;sub&gt;t&lt;/sub&gt;, how sensitive the target is to that word (always ≥ 0, says nothing about direction).&lt;/li&gt;&lt;li&gt;&lt;b&gt;grad-input&lt;/b&gt;: e&lt;sub&gt;t&lt;/sub&gt; · ∂target/∂e&lt;sub&gt;t&lt;/sub&gt;, a first-order estimate of what removing the word would change.&lt;/li&gt;&lt;li&gt;&lt;b&gt;ig&lt;/b&gt; (integrated gradients): the same product averaged along the straight path from an all-zero input to yours (N steps, midpoint rule).&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;&lt;b&gt;Completeness.&lt;/b&gt; Integrated gradients add up: the attributions sum to target(your input) − target(all-zero input), up to the error of N steps. The line under the bars gives both numbers; if they differ by much, raise the steps.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Why attention is not attribution.&lt;/b&gt; An attention map shows where one head reads from in one layer; the value vectors, the other heads, the feed-forward blocks and the residual connections all stand between it and the answer. A word can get much attention and not matter, or matter through a path no single map shows. Gradients follow every path to the answer.&lt;/p&gt;&lt;p&gt;With heads switched off, every number here is the changed model&apos;s. It runs in the background; the bar above shows its progress, Cancel stops it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;¿En qué palabras de la entrada se apoya esta predicción?&lt;/b&gt; Elija un objetivo —la log-probabilidad de una predicción en una posición enmascarada (haga clic en cualquier barra de &lt;i&gt;Palabras enmascaradas&lt;/i&gt;) o el veredicto de oración siguiente, log p(IsNext)— y un método. La entrada de cada token es su vector de embedding de palabra e&lt;sub&gt;t&lt;/sub&gt; (antes de sumar los embeddings de posición y de segmento); los colores y las barras indican cuánto depende de él el objetivo: el rojo aumenta el objetivo y el azul lo reduce.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;grad&lt;/b&gt;: el tamaño de ∂objetivo/∂e&lt;sub&gt;t&lt;/sub&gt;, cuán sensible es el objetivo a esa palabra (siempre ≥ 0; no dice nada sobre el sentido).&lt;/li&gt;&lt;li&gt;&lt;b&gt;grad-input&lt;/b&gt;: e&lt;sub&gt;t&lt;/sub&gt; · ∂objetivo/∂e&lt;sub&gt;t&lt;/sub&gt;, una estimación de primer orden de lo que cambiaría al quitar la palabra.&lt;/li&gt;&lt;li&gt;&lt;b&gt;ig&lt;/b&gt; (gradientes integrados): el mismo producto promediado a lo largo del camino recto desde una entrada toda a cero hasta la suya (N pasos, regla del punto medio).&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;&lt;b&gt;Completitud.&lt;/b&gt; Los gradientes integrados cuadran: las atribuciones suman objetivo(su entrada) − objetivo(entrada toda a cero), salvo el error de los N pasos. La línea bajo las barras da ambos números; si difieren mucho, aumente los pasos.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Por qué la atención no es atribución.&lt;/b&gt; Un mapa de atención muestra de dónde lee una cabeza en una capa; los vectores de valor, las demás cabezas, los bloques feed-forward y las conexiones residuales se interponen entre ella y la respuesta. Una palabra puede recibir mucha atención y no importar, o importar por un camino que ningún mapa individual muestra. Los gradientes siguen todos los caminos hasta la respuesta.&lt;/p&gt;&lt;p&gt;Con cabezas apagadas, cada número de aquí es el del modelo modificado. El cálculo se ejecuta en segundo plano; la barra de arriba muestra su progreso y Cancelar lo detiene.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>[MASK] at %1 → %2</source>
        <translation>[MASK] en %1 → %2</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Computing…</source>
        <translation>Calculando…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>position %1, %2: attribution %3 (%4% of the largest)</source>
        <translation>posición %1, %2: atribución %3 (%4% de la mayor)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Target: &lt;b&gt;%1&lt;/b&gt; = %2 · method &lt;b&gt;%3&lt;/b&gt;</source>
        <translation>Objetivo: &lt;b&gt;%1&lt;/b&gt; = %2 · método &lt;b&gt;%3&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, %1 steps</source>
        <translation>, %1 pasos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · &lt;b&gt;heads switched off: %1&lt;/b&gt; (every number is the changed model&apos;s)</source>
        <translation> · &lt;b&gt;cabezas apagadas: %1&lt;/b&gt; (cada número es el del modelo modificado)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>. Red raises the target, blue lowers it; hover a token for its value.</source>
        <translation>. El rojo aumenta el objetivo y el azul lo reduce; pase el ratón sobre un token para ver su valor.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Completeness:&lt;/b&gt; sum of attributions = %1; target − target at the all-zero input = %2 − (%3) = %4; gap %5 (%6% of it). A large gap means too few steps.</source>
        <translation>&lt;b&gt;Completitud:&lt;/b&gt; suma de las atribuciones = %1; objetivo − objetivo con la entrada toda a cero = %2 − (%3) = %4; diferencia %5 (%6% de ello). Una diferencia grande indica que hay muy pocos pasos.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sum of attributions: %1 (only integrated gradients promise that it equals the target&apos;s change from an all-zero input).</source>
        <translation>Suma de las atribuciones: %1 (solo los gradientes integrados garantizan que sea igual al cambio del objetivo desde una entrada toda a cero).</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+12"/>
        <source>Nothing to export: no attribution is shown.</source>
        <translation>Nada que exportar: no se muestra ninguna atribución.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>attribution</source>
        <translation>atribución</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::CancellableJob</name>
    <message>
        <location filename="../ui/cancellable_job.cpp" line="+76"/>
        <source>The computation failed for an unknown reason.</source>
        <translation>El cálculo falló por un motivo desconocido.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ClassifierView</name>
    <message>
        <location filename="../ui/views/classifier_view.cpp" line="+56"/>
        <source>Words coloured by their label</source>
        <translation>Palabras coloreadas según su etiqueta</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Word</source>
        <translation>Palabra</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Label</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Probability</source>
        <translation>Probabilidad</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+42"/>
        <source>Type a sentence to see what the fine-tuned classifier says about it.</source>
        <translation>Escriba una oración para ver qué dice de ella el clasificador ajustado.</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Classifier</source>
        <translation>Clasificador</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This model was fine-tuned for a task: a small classifier (one linear layer) sits on top of BERT. A sequence classifier reads the pooled [CLS] vector of the sentence (pair) and gives one score (logit) per label; their softmax is the probability of each label, listed best first. A token classifier reads every token&apos;s last hidden state and labels each word at its first wordpiece (the text is split at spaces, as `bertlab-cli classify` does). The numbers are exactly what `bertlab-cli classify` prints for the same text.</source>
        <translation>Este modelo se ajustó (fine-tuning) para una tarea: un pequeño clasificador (una capa lineal) se sitúa sobre BERT. Un clasificador de secuencias lee el vector [CLS] agrupado (pooled) de la oración (o del par) y da una puntuación (logit) por etiqueta; su softmax es la probabilidad de cada etiqueta, listadas de mejor a peor. Un clasificador de tokens lee el último estado oculto de cada token y etiqueta cada palabra en su primera subpalabra (el texto se divide por los espacios, como hace `bertlab-cli classify`). Los números son exactamente los que imprime `bertlab-cli classify` para el mismo texto.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This model has no classifier: it was not fine-tuned for a task. Use Training ▸ Fine-tune… to make one.</source>
        <translation>Este modelo no tiene clasificador: no se ajustó para ninguna tarea. Use Entrenamiento ▸ Ajuste fino… para crear uno.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Classifier missing: config.json names a %1 classifier, but its classifier.* weights (or the pooler) are not in the checkpoint. bertlab never answers with a random head.</source>
        <translation>Falta el clasificador: config.json indica un clasificador de %1, pero sus pesos classifier.* (o el pooler) no están en el checkpoint. bertlab nunca responde con una cabeza aleatoria.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Classifying…</source>
        <translation>Clasificando…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This model&apos;s classifier task is not one bertlab knows.</source>
        <translation>bertlab no conoce la tarea del clasificador de este modelo.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sequence classifier over %1. Logits: %2 — their softmax gives the probabilities.</source>
        <translation>Clasificador de secuencias sobre %1. Logits: %2; su softmax da las probabilidades.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the sentence pair</source>
        <translation>el par de oraciones</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sentence A</source>
        <translation>la oración A</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2 (all heads on: %3)</source>
        <translation>%1: %2 (con todas las cabezas: %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Heads switched off: %1. With every head on: %2.</source>
        <translation>Cabezas apagadas: %1. Con todas las cabezas encendidas: %2.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>With every head on: %1 (%2)</source>
        <translation>Con todas las cabezas encendidas: %1 (%2)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A label for each word (%1 words)</source>
        <translation>Una etiqueta para cada palabra (%1 palabras)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token classifier: each word is labelled at its first wordpiece; sentence B is not read.</source>
        <translation>Clasificador de tokens: cada palabra se etiqueta en su primera subpalabra; la oración B no se lee.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heads switched off: %1; ◆ marks a word whose label they changed (its tooltip gives the label with every head on).</source>
        <translation>Cabezas apagadas: %1; ◆ marca una palabra cuya etiqueta cambiaron (su descripción emergente da la etiqueta con todas las cabezas encendidas).</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+12"/>
        <source>Nothing to export: the classifier has not answered.</source>
        <translation>Nada que exportar: el clasificador no ha respondido.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>label probabilities</source>
        <translation>probabilidades de las etiquetas</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>word label probabilities</source>
        <translation>probabilidades de las etiquetas por palabra</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ColoredTokenStrip</name>
    <message>
        <location filename="../ui/views/colored_token_strip.cpp" line="+22"/>
        <source>Coloured tokens</source>
        <translation>Tokens coloreados</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::EmbeddingFigure</name>
    <message>
        <location filename="../ui/views/embedding_figure.cpp" line="+39"/>
        <source>Embedding parts</source>
        <translation>Partes del embedding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For each input token, its token, segment and position embeddings, their sum and the LayerNorm output, one cell per dimension.</source>
        <translation>Para cada token de entrada, sus embeddings de token, de segmento y de posición, su suma y la salida de LayerNorm, una celda por dimensión.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Token embeddings</source>
        <translation>Embeddings de token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segment embeddings</source>
        <translation>Embeddings de segmento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position embeddings</source>
        <translation>Embeddings de posición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sum</source>
        <translation>Suma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LayerNorm output</source>
        <translation>Salida de LayerNorm</translation>
    </message>
    <message>
        <location line="+200"/>
        <source>The embedding parts appear here once a sentence is analysed.</source>
        <translation>Las partes del embedding aparecen aquí en cuanto se analiza una oración.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::EmbeddingsView</name>
    <message>
        <location filename="../ui/views/embeddings_view.cpp" line="+66"/>
        <source>Open a model and type a sentence to see how BERT builds its input vectors.</source>
        <translation>Abra un modelo y escriba una oración para ver cómo construye BERT sus vectores de entrada.</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+2"/>
        <source>Position embeddings: cosine similarity</source>
        <translation>Embeddings de posición: similitud del coseno</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Hidden state to fit the PCA on: 0 = embedding output, n = after layer n</source>
        <translation>Estado oculto sobre el que ajustar el PCA: 0 = salida de los embeddings, n = tras la capa n</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+5"/>
        <source>Token vectors (PCA) and their path through the layers</source>
        <translation>Vectores de los tokens (PCA) y su recorrido por las capas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hidden state:</source>
        <translation>Estado oculto:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wordpiece</source>
        <translation>Subpalabra</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cosine</source>
        <translation>Coseno</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nearest vocabulary neighbours</source>
        <translation>Vecinos más cercanos en el vocabulario</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>&lt;p&gt;&lt;b&gt;How BERT turns wordpieces into vectors.&lt;/b&gt; Each column is one input token. Its vector is the sum of three learned embeddings: the &lt;i&gt;token&lt;/i&gt; embedding of the wordpiece, the &lt;i&gt;segment&lt;/i&gt; embedding (sentence A or B) and the &lt;i&gt;position&lt;/i&gt; embedding of its index. The sum is normalised by LayerNorm and that is what the first encoder layer reads. Each strip shows one vector, one cell per dimension, blue negative and red positive (scaled per row); hover a strip for its values and norm.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Position similarity&lt;/b&gt; is the cosine similarity between the learned position embeddings; a bright diagonal band means neighbouring positions get similar vectors. The dashed square marks the positions used by this input.&lt;/p&gt;&lt;p&gt;&lt;b&gt;PCA&lt;/b&gt; projects the sentence&apos;s token vectors at the chosen hidden state onto their two main directions; the thin lines follow each token through every layer (dots) and the labelled points are at the chosen layer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Neighbours&lt;/b&gt;: click a token to list the vocabulary wordpieces whose input embeddings are most similar (cosine) to its own.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Cómo convierte BERT las subpalabras en vectores.&lt;/b&gt; Cada columna es un token de entrada. Su vector es la suma de tres embeddings aprendidos: el embedding de &lt;i&gt;token&lt;/i&gt; de la subpalabra, el embedding de &lt;i&gt;segmento&lt;/i&gt; (oración A o B) y el embedding de &lt;i&gt;posición&lt;/i&gt; de su índice. La suma se normaliza con LayerNorm y eso es lo que lee la primera capa del codificador. Cada franja muestra un vector, una celda por dimensión, azul negativo y rojo positivo (escalado por fila); pase el ratón sobre una franja para ver sus valores y su norma.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Similitud de posiciones&lt;/b&gt; es la similitud del coseno entre los embeddings de posición aprendidos; una banda diagonal brillante significa que las posiciones vecinas reciben vectores parecidos. El cuadrado discontinuo marca las posiciones que usa esta entrada.&lt;/p&gt;&lt;p&gt;&lt;b&gt;PCA&lt;/b&gt; proyecta los vectores de los tokens de la oración en el estado oculto elegido sobre sus dos direcciones principales; las líneas finas siguen a cada token a través de todas las capas (puntos) y los puntos etiquetados están en la capa elegida.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Vecinos&lt;/b&gt;: haga clic en un token para listar las subpalabras del vocabulario cuyos embeddings de entrada son más parecidos (coseno) al suyo.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+159"/>
        <location line="+1"/>
        <source>position</source>
        <translation>posición</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>PC1 (%1 % of variance at h%2)</source>
        <translation>CP1 (%1 % de la varianza en h%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PC2 (%1 %)</source>
        <translation>CP2 (%1 %)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Click a token to list its nearest wordpieces.</source>
        <translation>Haga clic en un token para listar sus subpalabras más cercanas.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No word embeddings available.</source>
        <translation>No hay embeddings de palabra disponibles.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Closest input embeddings to &lt;b&gt;%1&lt;/b&gt; (id %2, position %3):</source>
        <translation>Embeddings de entrada más cercanos a &lt;b&gt;%1&lt;/b&gt; (id %2, posición %3):</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Nothing to export: no analysis yet.</source>
        <translation>Nada que exportar: todavía no hay análisis.</translation>
    </message>
    <message>
        <location filename="../ui/views/embeddings_view.h" line="+29"/>
        <source>Embeddings</source>
        <translation>Embeddings</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::EmptyStatePage</name>
    <message>
        <location filename="../ui/empty_state_page.cpp" line="+14"/>
        <source>No model loaded</source>
        <translation>No hay ningún modelo cargado</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open a BERT model folder (config.json, vocab.txt and model.safetensors, pytorch_model.bin or a TensorFlow checkpoint), or drop it on this window.</source>
        <translation>Abra una carpeta de modelo BERT (config.json, vocab.txt y model.safetensors, pytorch_model.bin o un checkpoint de TensorFlow), o suéltela sobre esta ventana.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open Model…</source>
        <translation>Abrir modelo…</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::Exporting</name>
    <message>
        <location filename="../ui/export.cpp" line="+51"/>
        <source>Could not write %1</source>
        <translation>No se pudo escribir %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not move the file into place at %1: %2</source>
        <translation>No se pudo mover el archivo a su lugar en %1: %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot create a file in %1</source>
        <translation>No se puede crear un archivo en %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not render %1</source>
        <translation>No se pudo dibujar %1</translation>
    </message>
    <message>
        <location line="+52"/>
        <location line="+4"/>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+38"/>
        <source>Nothing to export</source>
        <translation>Nada que exportar</translation>
    </message>
    <message>
        <location line="-7"/>
        <location line="+68"/>
        <source>Unknown image format for %1 (use .png, .pdf or .svg)</source>
        <translation>Formato de imagen desconocido para %1 (use .png, .pdf o .svg)</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>Unknown data format for %1 (use .csv or .json)</source>
        <translation>Formato de datos desconocido para %1 (use .csv o .json)</translation>
    </message>
    <message>
        <location filename="../ui/export_metadata.cpp" line="+23"/>
        <source>Cannot reopen %1: %2</source>
        <translation>No se puede volver a abrir %1: %2</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Cannot reread the image %1</source>
        <translation>No se puede volver a leer la imagen %1</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::FinetuneController</name>
    <message>
        <location filename="../ui/finetune/finetune_controller.cpp" line="+12"/>
        <location line="+39"/>
        <source>Fine-tuning</source>
        <translation>Ajuste fino</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>&amp;Fine-tune…</source>
        <translation>&amp;Ajuste fino…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resume Fine-tuning…</source>
        <translation>Reanudar el ajuste fino…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Probe Layers…</source>
        <translation>&amp;Sondear las capas…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fine-tuning failed</source>
        <translation>El ajuste fino falló</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A fine-tuning run is going; stop it first.</source>
        <translation>Hay un ajuste fino en curso; deténgalo primero.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Fine-tuning run folder to resume</source>
        <translation>Carpeta de la ejecución de ajuste fino que se reanuda</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::FinetuneDialog</name>
    <message>
        <location filename="../ui/finetune/finetune_dialog.cpp" line="+52"/>
        <source>Fine-tune a Model</source>
        <translation>Ajuste fino de un modelo</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a new or empty folder</source>
        <translation>una carpeta nueva o vacía</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+34"/>
        <location line="+11"/>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Output folder:</source>
        <translation>Carpeta de salida:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Start Fine-tuning</source>
        <translation>Iniciar el ajuste fino</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Model and data</source>
        <translation>Modelo y datos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a model folder, or a Hugging Face repo id in the cache</source>
        <translation>una carpeta de modelo, o un repo id de Hugging Face que esté en la caché</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open Model</source>
        <translation>Abrir modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model open in the explorer</source>
        <translation>El modelo abierto en el explorador</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Base model:</source>
        <translation>Modelo base:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sequence classification (a label per sentence or pair)</source>
        <translation>Clasificación de secuencias (una etiqueta por oración o par)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token classification (a label per word)</source>
        <translation>Clasificación de tokens (una etiqueta por palabra)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task:</source>
        <translation>Tarea:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>optional: evaluated after every epoch</source>
        <translation>opcional: se evalúa tras cada época</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training file:</source>
        <translation>Archivo de entrenamiento:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dev file:</source>
        <translation>Archivo de validación:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional: L1,L2,… (default: the order the training file first uses them)</source>
        <translation>opcional: L1,L2,… (por defecto: el orden en que las usa por primera vez el archivo de entrenamiento)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The label ids of the new classifier, in this order (as --labels). Every label of the data must be in the list; a label the data never uses is allowed.</source>
        <translation>Los identificadores de etiqueta del nuevo clasificador, en este orden (como --labels). Cada etiqueta de los datos debe estar en la lista; se admite una etiqueta que los datos nunca usan.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label order:</source>
        <translation>Orden de etiquetas:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ready examples:</source>
        <translation>Ejemplos listos:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(the built-in Brown tasks are not installed)</source>
        <translation>(las tareas Brown incluidas no están instaladas)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;small&gt;Sequence tasks: .csv / .tsv with a header naming &lt;i&gt;text&lt;/i&gt;, optional &lt;i&gt;text_b&lt;/i&gt; and &lt;i&gt;label&lt;/i&gt;, or .jsonl with those keys. Token tasks: &lt;i&gt;word&amp;lt;TAB&amp;gt;label&lt;/i&gt; per line, a blank line between sentences.&lt;/small&gt;</source>
        <translation>&lt;small&gt;Tareas de secuencia: .csv / .tsv con una cabecera que nombre &lt;i&gt;text&lt;/i&gt;, &lt;i&gt;text_b&lt;/i&gt; (opcional) y &lt;i&gt;label&lt;/i&gt;, o .jsonl con esas claves. Tareas de tokens: &lt;i&gt;palabra&amp;lt;TAB&amp;gt;etiqueta&lt;/i&gt; por línea, con una línea en blanco entre oraciones.&lt;/small&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Training data (first rows):</source>
        <translation>Datos de entrenamiento (primeras filas):</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Training file</source>
        <translation>Archivo de entrenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dev file</source>
        <translation>Archivo de validación</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hyperparameters</source>
        <translation>Hiperparámetros</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Shuffle the training data each epoch</source>
        <translation>Barajar los datos de entrenamiento en cada época</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epochs:</source>
        <translation>Épocas:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size:</source>
        <translation>Tamaño de lote:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate:</source>
        <translation>Tasa de aprendizaje:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warmup ratio:</source>
        <translation>Proporción de calentamiento:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight decay:</source>
        <translation>Decaimiento de pesos:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max sequence length:</source>
        <translation>Longitud máxima de secuencia:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dropout:</source>
        <translation>Dropout:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed:</source>
        <translation>Semilla:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;&lt;b&gt;What the BERT paper recommends&lt;/b&gt; (Devlin et al. 2019, appendix A.3): pick from &lt;b&gt;learning rate 5e-5, 3e-5 or 2e-5&lt;/b&gt;, &lt;b&gt;batch size 16 or 32&lt;/b&gt; and &lt;b&gt;2 to 4 epochs&lt;/b&gt;, and keep the one that does best on the dev set; large data sets are less sensitive to the choice. Everything else stays as in pre-training: dropout 0.1, weight decay 0.01. Warmup 0.1 (the rate climbs over the first 10% of steps, then falls linearly to 0) is the default of Google&apos;s fine-tuning script.&lt;/p&gt;&lt;p&gt;A shorter maximum length trains faster: pairs are cut longest-first, and in a token task the words past it are not trained on. Dropout 0 and no shuffling make a run easy to compare with another.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Lo que recomienda el artículo de BERT&lt;/b&gt; (Devlin et al. 2019, apéndice A.3): elegir entre &lt;b&gt;tasa de aprendizaje 5e-5, 3e-5 o 2e-5&lt;/b&gt;, &lt;b&gt;tamaño de lote 16 o 32&lt;/b&gt; y &lt;b&gt;de 2 a 4 épocas&lt;/b&gt;, y quedarse con la combinación que mejor funcione en el conjunto de validación; los conjuntos de datos grandes son menos sensibles a la elección. Todo lo demás queda como en el preentrenamiento: dropout 0,1, decaimiento de pesos 0,01. Un calentamiento de 0,1 (la tasa sube durante el primer 10% de los pasos y después baja linealmente hasta 0) es el valor por defecto del script de ajuste fino de Google.&lt;/p&gt;&lt;p&gt;Una longitud máxima más corta entrena más rápido: los pares se recortan empezando por el más largo y, en una tarea de tokens, las palabras que quedan más allá no se entrenan. Con dropout 0 y sin barajar, es fácil comparar una ejecución con otra.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+109"/>
        <location line="+20"/>
        <source>line</source>
        <translation>línea</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Training: %1</source>
        <translation>Entrenamiento: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+30"/>
        <source>sentences</source>
        <translation>oraciones</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>word/label …</source>
        <translation>palabra/etiqueta …</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Training: %1 sentences, %2</source>
        <translation>Entrenamiento: %1 oraciones, %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+14"/>
        <source>words</source>
        <translation>palabras</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dev: %1</source>
        <translation>Validación: %1</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Base model folder</source>
        <translation>Carpeta del modelo base</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Task data (*.csv *.tsv *.jsonl *.conll *.txt);;All files (*)</source>
        <translation>Datos de la tarea (*.csv *.tsv *.jsonl *.conll *.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Output folder (new or empty)</source>
        <translation>Carpeta de salida (nueva o vacía)</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::FinetuneRun</name>
    <message>
        <location filename="../ui/finetune/finetune_run.cpp" line="+53"/>
        <source>%1 task, %2 labels, %3 training and %4 dev examples, %5 steps</source>
        <translation>tarea de %1, %2 etiquetas, %3 ejemplos de entrenamiento y %4 de validación, %5 pasos</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>; resuming at step %1</source>
        <translation>; se reanuda en el paso %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; %1 words fall past the maximum sequence length</source>
        <translation>; %1 palabras quedan más allá de la longitud máxima de secuencia</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The fine-tuning run failed for an unknown reason.</source>
        <translation>La ejecución de ajuste fino falló por un motivo desconocido.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::FinetuneRunView</name>
    <message>
        <location filename="../ui/finetune/finetune_run_view.cpp" line="+41"/>
        <location line="+71"/>
        <source>No fine-tuning run yet: Training ▸ Fine-tune…</source>
        <translation>Todavía no hay ninguna ejecución de ajuste fino: Entrenamiento ▸ Ajuste fino…</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after the current step; a checkpoint is written, so the run can be resumed</source>
        <translation>Detener tras el paso actual; se escribe un checkpoint para poder reanudar la ejecución</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open in Explorer</source>
        <translation>Abrir en el explorador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the fine-tuned model in the explorer: its Classifier tab answers as you type</source>
        <translation>Abrir el modelo ajustado en el explorador: su pestaña Clasificador responde mientras escribe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Training loss</source>
        <translation>Pérdida de entrenamiento</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cross-entropy</source>
        <translation>entropía cruzada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>batch loss</source>
        <translation>pérdida del lote</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dev set after each epoch</source>
        <translation>Conjunto de validación tras cada época</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>epoch</source>
        <translation>época</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>score</source>
        <translation>puntuación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accuracy</source>
        <translation>exactitud</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>macro-F1</source>
        <translation>F1 macro</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dev confusion matrix</source>
        <translation>Matriz de confusión de validación</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>gold label</source>
        <translation>etiqueta real</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>predicted label</source>
        <translation>etiqueta predicha</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>dev items</source>
        <translation>elementos de validación</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Preparing %1…</source>
        <translation>Preparando %1…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Failed: %1</source>
        <translation>Falló: %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>step %1 of %2, epoch %3, loss %4, lr %5, %6 ex/s, ETA %7</source>
        <translation>paso %1 de %2, época %3, pérdida %4, lr %5, %6 ej/s, tiempo restante %7</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>; dev accuracy %1, macro-F1 %2</source>
        <translation>; exactitud en validación %1, F1 macro %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Finished. %1</source>
        <translation>Terminado. %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped at step %1; the checkpoint is kept (Training ▸ Resume Fine-tuning…).</source>
        <translation>Detenido en el paso %1; se conserva el checkpoint (Entrenamiento ▸ Reanudar el ajuste fino…).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Preparing %1: reading the base model and the data…</source>
        <translation>Preparando %1: leyendo el modelo base y los datos…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopping after this step…</source>
        <translation>Deteniendo tras este paso…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Nothing to export: the run has no steps yet.</source>
        <translation>Nada que exportar: la ejecución todavía no tiene pasos.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>training steps</source>
        <translation>pasos de entrenamiento</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>dev evaluation</source>
        <translation>evaluación en validación</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>dev confusion matrix after epoch %1 (rows gold, columns predicted)</source>
        <translation>matriz de confusión de validación tras la época %1 (filas: real; columnas: predicha)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export Fine-tuning Run</source>
        <translation>Exportar la ejecución de ajuste fino</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV table (*.csv);;JSON (*.json)</source>
        <translation>Imagen PNG (*.png);;Documento PDF (*.pdf);;Dibujo SVG (*.svg);;Tabla CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export failed: %1</source>
        <translation>La exportación falló: %1</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::HeadsGrid</name>
    <message>
        <location filename="../ui/views/heads_grid.cpp" line="+60"/>
        <source>All attention heads</source>
        <translation>Todas las cabezas de atención</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One small attention map per head, layers down and heads across; switched-off heads are crossed out.</source>
        <translation>Un pequeño mapa de atención por cabeza, capas hacia abajo y cabezas a lo ancho; las cabezas apagadas aparecen tachadas.</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>H%1</source>
        <translation>H%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Layer %1</source>
        <translation>Capa %1</translation>
    </message>
    <message>
        <location line="+65"/>
        <location line="+19"/>
        <source>Switch L%1 H%2 back on</source>
        <translation>Volver a encender L%1 H%2</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+18"/>
        <source>Switch L%1 H%2 off</source>
        <translation>Apagar L%1 H%2</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Switch layer %1 back on</source>
        <translation>Volver a encender la capa %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Switch every head of layer %1 off</source>
        <translation>Apagar todas las cabezas de la capa %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>L%1 H%2%3: click to select, Ctrl+click (or its corner switch) to switch it %4</source>
        <translation>L%1 H%2%3: clic para seleccionar, Ctrl+clic (o su interruptor de la esquina) para %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (off)</source>
        <translation> (apagada)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>back on</source>
        <translation>volver a encenderla</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>apagarla</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click to switch layer %1 back on</source>
        <translation>Haga clic para volver a encender la capa %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click to switch every head of layer %1 off</source>
        <translation>Haga clic para apagar todas las cabezas de la capa %1</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::HeatmapPlot</name>
    <message>
        <location filename="../ui/plot/heatmap_plot.cpp" line="+36"/>
        <source>Heatmap</source>
        <translation>Mapa de calor</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::HelpDialogs</name>
    <message>
        <location filename="../ui/help_dialogs.cpp" line="+23"/>
        <source>Open a model to start exploring.</source>
        <translation>Abra un modelo para empezar a explorar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What am I looking at?</source>
        <translation>¿Qué estoy viendo?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&lt;p&gt;&lt;b&gt;Switching heads off (ablation).&lt;/b&gt; A switched-off head still computes its attention, but its probabilities are multiplied by 0 before they weigh the value vectors, so it adds nothing to the layer&apos;s output; the output projection and the residual connection are unchanged. This is Hugging Face&apos;s &lt;tt&gt;head_mask&lt;/tt&gt;, and &lt;tt&gt;bertlab-cli --ablate 3:5&lt;/tt&gt; does the same (heads counted from 1; &lt;tt&gt;3:*&lt;/tt&gt; is all of layer 3).&lt;/p&gt;&lt;p&gt;Every view then shows the changed model: its heatmaps show the switched-off heads as zeros, the masked-word bars show the intact model&apos;s probability beside each new one (grey), the next-sentence view gives before → after, and the logit lens marks the layers whose top guess changed.&lt;/p&gt;&lt;p&gt;If a guess hardly moves, the model did not need that head for it, which is not the same as the head doing nothing: other heads may do the same work. Attention maps show where a head looks; switching it off shows whether the answer depends on it.&lt;/p&gt;&lt;p&gt;Click a head&apos;s switch (the small circle in its corner) or Ctrl+click it in &lt;i&gt;All heads&lt;/i&gt;, click a layer&apos;s label for the whole layer, or use Ctrl+K (selected head), Ctrl+Shift+K (selected layer) and Ctrl+R (everything back on).&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Apagar cabezas (ablación).&lt;/b&gt; Una cabeza apagada sigue calculando su atención, pero sus probabilidades se multiplican por 0 antes de ponderar los vectores de valor, de modo que no aporta nada a la salida de la capa; la proyección de salida y la conexión residual no cambian. Es el &lt;tt&gt;head_mask&lt;/tt&gt; de Hugging Face, y &lt;tt&gt;bertlab-cli --ablate 3:5&lt;/tt&gt; hace lo mismo (cabezas contadas desde 1; &lt;tt&gt;3:*&lt;/tt&gt; es toda la capa 3).&lt;/p&gt;&lt;p&gt;Todas las vistas muestran entonces el modelo modificado: sus mapas de calor muestran las cabezas apagadas como ceros, las barras de palabras enmascaradas muestran junto a cada probabilidad nueva la del modelo intacto (en gris), la vista de oración siguiente da antes → después, y la lente de logits marca las capas cuya mejor predicción cambió.&lt;/p&gt;&lt;p&gt;Si una predicción apenas se mueve, el modelo no necesitaba esa cabeza para ella, lo cual no es lo mismo que la cabeza no haga nada: otras cabezas pueden hacer el mismo trabajo. Los mapas de atención muestran hacia dónde mira una cabeza; apagarla muestra si la respuesta depende de ella.&lt;/p&gt;&lt;p&gt;Haga clic en el interruptor de una cabeza (el pequeño círculo de su esquina) o Ctrl+clic sobre ella en &lt;i&gt;Todas las cabezas&lt;/i&gt;, haga clic en la etiqueta de una capa para la capa entera, o use Ctrl+K (cabeza seleccionada), Ctrl+Mayús+K (capa seleccionada) y Ctrl+R (volver a encender todo).&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>What does switching a head off mean?</source>
        <translation>¿Qué significa apagar una cabeza?</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>About bertlab</source>
        <translation>Acerca de bertlab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;bertlab %1&lt;/h3&gt;&lt;p&gt;A native desktop lab for BERT: see how the input is embedded, where each head attends, what the masked-LM head guesses and whether sentence B follows sentence A.&lt;/p&gt;&lt;p&gt;Built with Qt %2 and QCustomPlot.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;bertlab %1&lt;/h3&gt;&lt;p&gt;Un laboratorio de escritorio nativo para BERT: vea cómo se representa la entrada, hacia dónde atiende cada cabeza, qué predice la cabeza de lenguaje enmascarado y si la oración B sigue a la oración A.&lt;/p&gt;&lt;p&gt;Hecho con Qt %2 y QCustomPlot.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::HubCacheDialog</name>
    <message>
        <location filename="../ui/hub_cache_dialog.cpp" line="+20"/>
        <source>Open From Hugging Face Cache</source>
        <translation>Abrir desde la caché de Hugging Face</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Revision</source>
        <translation>Revisión</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Open</source>
        <translation>&amp;Abrir</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>No BERT models in the Hugging Face cache at &lt;tt&gt;%1&lt;/tt&gt;. Use File ▸ Open From Hugging Face… to download one, or point HF_HUB_CACHE or HF_HOME at another cache.</source>
        <translation>No hay modelos BERT en la caché de Hugging Face en &lt;tt&gt;%1&lt;/tt&gt;. Use Archivo ▸ Abrir desde Hugging Face… para descargar uno, o apunte HF_HUB_CACHE o HF_HOME a otra caché.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>BERT models in the Hugging Face cache at &lt;tt&gt;%1&lt;/tt&gt; (shared with transformers):</source>
        <translation>Modelos BERT en la caché de Hugging Face en &lt;tt&gt;%1&lt;/tt&gt; (compartida con transformers):</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::HubDownload</name>
    <message>
        <location filename="../ui/hub_download.cpp" line="+50"/>
        <source>The download failed.</source>
        <translation>La descarga falló.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::HubDownloadDialog</name>
    <message>
        <location filename="../ui/hub_download_dialog.cpp" line="+21"/>
        <source>Open From Hugging Face</source>
        <translation>Abrir desde Hugging Face</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downloads a BERT model (config.json, vocab.txt and its weights) from %1 into the Hugging Face cache that transformers also uses:&lt;br&gt;&lt;tt&gt;%2&lt;/tt&gt;</source>
        <translation>Descarga un modelo BERT (config.json, vocab.txt y sus pesos) de %1 a la caché de Hugging Face que también usa transformers:&lt;br&gt;&lt;tt&gt;%2&lt;/tt&gt;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A branch, tag or commit hash</source>
        <translation>Una rama, una etiqueta o el hash de un commit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Repository:</source>
        <translation>&amp;Repositorio:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;vision:</source>
        <translation>Re&amp;visión:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>HF_HUB_OFFLINE is set: only models already in the cache can be opened.</source>
        <translation>HF_HUB_OFFLINE está definida: solo se pueden abrir los modelos que ya están en la caché.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Using your Hugging Face token (HF_TOKEN) for gated and private models.</source>
        <translation>Se usa su token de Hugging Face (HF_TOKEN) para los modelos restringidos y privados.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Download and Open</source>
        <translation>&amp;Descargar y abrir</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cancelled. What was downloaded is kept; Download resumes from there.</source>
        <translation>Cancelado. Lo descargado se conserva; Descargar continúa desde ahí.</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+20"/>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Downloading %1…</source>
        <translation>Descargando %1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ImportanceView</name>
    <message>
        <location filename="../ui/views/importance_view.cpp" line="+91"/>
        <source>Importance of each head for</source>
        <translation>Importancia de cada cabeza para</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&lt;b&gt;Gradient estimate&lt;/b&gt;: ∂target/∂m(l,h) at m = 1 (one backward pass)</source>
        <translation>&lt;b&gt;Estimación por gradiente&lt;/b&gt;: ∂objetivo/∂m(l,h) en m = 1 (una pasada hacia atrás)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Exact sweep&lt;/b&gt;: target(intact) − target(only that head off), one pass per head</source>
        <translation>&lt;b&gt;Barrido exacto&lt;/b&gt;: objetivo(intacto) − objetivo(solo esa cabeza apagada), una pasada por cabeza</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Head importance: gradient estimate</source>
        <translation>Importancia de las cabezas: estimación por gradiente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head importance: exact sweep</source>
        <translation>Importancia de las cabezas: barrido exacto</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>head</source>
        <translation>cabeza</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>importance</source>
        <translation>importancia</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click a cell to switch that head off (or back on)</source>
        <translation>Haga clic en una celda para apagar esa cabeza (o volver a encenderla)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run sweep</source>
        <translation>Ejecutar el barrido</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Sweeping: layer %1 of %2…</source>
        <translation>Barriendo: capa %1 de %2…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled. “Run sweep” starts it again.</source>
        <translation>Cancelado. «Ejecutar el barrido» lo inicia de nuevo.</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+65"/>
        <source>Run an analysis with a [MASK] (or a sentence pair) to rank the heads.</source>
        <translation>Ejecute un análisis con un [MASK] (o un par de oraciones) para ordenar las cabezas.</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>Head importance</source>
        <translation>Importancia de las cabezas</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;&lt;b&gt;Which heads does this answer depend on?&lt;/b&gt; For the chosen target (a guess&apos;s log-probability or log p(IsNext)) each cell is one head: layer down, head across. Red: the target falls without the head (the head helps it); blue: it rises.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Exact sweep&lt;/b&gt; (right): the model runs once per head with only that head switched off, and the cell is target(intact) − target(without the head). It is the truth for one head at a time, and costs one forward pass per head (144 on BERT-Base), so it shows its progress and can be cancelled.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gradient estimate&lt;/b&gt; (left): the derivative of the target by the head&apos;s multiplier m at m = 1, from a single backward pass (Michel et al., 2019, rank heads by its size). Switching a head off moves m from 1 to 0, so the gradient is a straight-line guess of the sweep&apos;s number; where the two heatmaps disagree, the model is far from linear in that head. The line under them gives their correlation.&lt;/p&gt;&lt;p&gt;Both are of the intact model; switched-off heads are marked ×. Click a cell to switch that head off (or back on) and watch the other views change. A head that matters little alone may still matter together with others that do the same work.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;¿De qué cabezas depende esta respuesta?&lt;/b&gt; Para el objetivo elegido (la log-probabilidad de una predicción o log p(IsNext)), cada celda es una cabeza: capas hacia abajo, cabezas a lo ancho. Rojo: el objetivo baja sin la cabeza (la cabeza lo favorece); azul: sube.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Barrido exacto&lt;/b&gt; (derecha): el modelo se ejecuta una vez por cabeza con solo esa cabeza apagada, y la celda es objetivo(intacto) − objetivo(sin la cabeza). Es la verdad para una cabeza cada vez y cuesta una pasada hacia delante por cabeza (144 en BERT-Base), por eso muestra su progreso y se puede cancelar.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Estimación por gradiente&lt;/b&gt; (izquierda): la derivada del objetivo respecto al multiplicador m de la cabeza en m = 1, con una sola pasada hacia atrás (Michel et al., 2019, ordenan las cabezas por su tamaño). Apagar una cabeza lleva m de 1 a 0, así que el gradiente es una estimación lineal del número del barrido; donde los dos mapas de calor no coinciden, el modelo está lejos de ser lineal en esa cabeza. La línea bajo ellos da su correlación.&lt;/p&gt;&lt;p&gt;Ambos son del modelo intacto; las cabezas apagadas se marcan con ×. Haga clic en una celda para apagar esa cabeza (o volver a encenderla) y vea cómo cambian las demás vistas. Una cabeza que importa poco por sí sola puede importar junto con otras que hacen el mismo trabajo.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>Computing…</source>
        <translation>Calculando…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Done.</source>
        <translation>Hecho.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Sweeping…</source>
        <translation>Barriendo…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Done: %1 ablated passes.</source>
        <translation>Hecho: %1 pasadas con ablación.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Layer %1</source>
        <translation>Capa %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>H%1</source>
        <translation>H%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Target: &lt;b&gt;%1&lt;/b&gt; = %2 under the intact model.</source>
        <translation>Objetivo: &lt;b&gt;%1&lt;/b&gt; = %2 con el modelo intacto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Computing the target…</source>
        <translation>Calculando el objetivo…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Heads switched off elsewhere are marked × (the numbers stay the intact model&apos;s).</source>
        <translation> Las cabezas apagadas en otras vistas se marcan con × (los números siguen siendo los del modelo intacto).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> Red: the head helps the target; blue: it works against it (one colour scale for both maps). Click a cell to switch that head off.</source>
        <translation> Rojo: la cabeza favorece el objetivo; azul: va en su contra (una misma escala de color para ambos mapas). Haga clic en una celda para apagar esa cabeza.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Strongest head by gradient: %1. The sweep will tell whether it really is.</source>
        <translation>La cabeza más fuerte según el gradiente: %1. El barrido dirá si realmente lo es.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Strongest head: &lt;b&gt;%1&lt;/b&gt; by the sweep, &lt;b&gt;%2&lt;/b&gt; by the gradient. Correlation of the two maps: %3 (1 = the straight-line estimate ranks heads exactly as switching them off does).</source>
        <translation>Cabeza más fuerte: &lt;b&gt;%1&lt;/b&gt; según el barrido, &lt;b&gt;%2&lt;/b&gt; según el gradiente. Correlación de los dos mapas: %3 (1 = la estimación lineal ordena las cabezas exactamente como lo hace apagarlas).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>undefined</source>
        <translation>indefinida</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+12"/>
        <source>Nothing to export: no head importance is shown.</source>
        <translation>Nada que exportar: no se muestra ninguna importancia de cabezas.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::InputPanel</name>
    <message>
        <location filename="../ui/input_panel.cpp" line="+34"/>
        <source>Type a sentence, e.g. the man went to the [MASK] .</source>
        <translation>Escriba una oración, p. ej. the man went to the [MASK] .</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Optional second sentence (for next-sentence prediction)</source>
        <translation>Segunda oración opcional (para la predicción de la oración siguiente)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sentence &amp;A</source>
        <translation>Oración &amp;A</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sentence &amp;B</source>
        <translation>Oración &amp;B</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>special token added by the tokenizer</source>
        <translation>token especial añadido por el tokenizador</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>from “%1” (characters %2–%3 of sentence %4)</source>
        <translation>de «%1» (caracteres %2–%3 de la oración %4)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp;id %2&lt;br&gt;%3&lt;br&gt;position %4, segment %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp;id %2&lt;br&gt;%3&lt;br&gt;posición %4, segmento %5</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;br&gt;masked (was &lt;b&gt;%1&lt;/b&gt;); click to unmask</source>
        <translation>&lt;br&gt;enmascarado (era &lt;b&gt;%1&lt;/b&gt;); haga clic para desenmascararlo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;br&gt;[MASK] typed in the text</source>
        <translation>&lt;br&gt;[MASK] escrito en el texto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;br&gt;click to replace it by [MASK]</source>
        <translation>&lt;br&gt;haga clic para sustituirlo por [MASK]</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The pair was too long and was truncated to %1 tokens (longest sentence first); the cut-off words are not shown.</source>
        <translation>El par era demasiado largo y se truncó a %1 tokens (empezando por la oración más larga); no se muestran las palabras recortadas.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Click a token to replace it by [MASK] (or type [MASK]); hover a token to see where it came from.</source>
        <translation>Haga clic en un token para sustituirlo por [MASK] (o escriba [MASK]); pase el ratón sobre un token para ver de dónde viene.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n token(s) masked; click a masked token to restore it.</source>
        <translation>
            <numerusform>%n token enmascarado; haga clic en un token enmascarado para restaurarlo.</numerusform>
            <numerusform>%n tokens enmascarados; haga clic en un token enmascarado para restaurarlo.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bertlab::ui::LabelBars</name>
    <message>
        <location filename="../ui/views/label_bars.cpp" line="+14"/>
        <source>Label probabilities</source>
        <translation>Probabilidades de las etiquetas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One bar per label, its probability, best first.</source>
        <translation>Una barra por etiqueta con su probabilidad, de mejor a peor.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::LanguageMenu</name>
    <message>
        <location filename="../ui/language_menu.cpp" line="+12"/>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;System Language</source>
        <translation>Idioma del &amp;sistema</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>the system&apos;s language</source>
        <translation>el idioma del sistema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bertlab will be shown in %1 the next time it starts.</source>
        <translation>bertlab se mostrará en %1 la próxima vez que se inicie.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::Languages</name>
    <message>
        <location filename="../ui/ui_language.cpp" line="+37"/>
        <source>English</source>
        <comment>The name of the language of this translation, written in it</comment>
        <translation>Español</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="+96"/>
        <source>Open &amp;Recent Model</source>
        <translation>Abrir un modelo &amp;reciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open a model to begin.</source>
        <translation>Abra un modelo para empezar.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>bertlab</source>
        <translation>bertlab</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Selection</source>
        <translation>Selección</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Layer </source>
        <translation>Capa </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoder layer, counted from 1 (Ctrl+Up / Ctrl+Down, or ] and [)</source>
        <translation>Capa del codificador, contando desde 1 (Ctrl+Arriba / Ctrl+Abajo, o ] y [)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Head </source>
        <translation>Cabeza </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attention head, counted from 1 (Ctrl+Right / Ctrl+Left, or . and ,)</source>
        <translation>Cabeza de atención, contando desde 1 (Ctrl+Derecha / Ctrl+Izquierda, o . y ,)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Every head is on</source>
        <translation>Todas las cabezas están encendidas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Switched off: %1</source>
        <translation>Apagadas: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type a sentence in Sentence A.</source>
        <translation>Escriba una oración en Oración A.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Layer %1, head %2</source>
        <translation>Capa %1, cabeza %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>View error</source>
        <translation>Error de la vista</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exported %1</source>
        <translation>Exportado %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved %1</source>
        <translation>Guardado %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still loading %1…</source>
        <translation>Todavía cargando %1…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not open the model</source>
        <translation>No se pudo abrir el modelo</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Show a bfloat16 analysis at once, then the exact float32 one</source>
        <translation>Mostrar de inmediato un análisis en bfloat16 y después el exacto en float32</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off for this model: %1</source>
        <translation>Desactivada para este modelo: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — bertlab</source>
        <translation>%1 — bertlab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loaded %1 (%2 parameters)</source>
        <translation>Cargado %1 (%2 parámetros)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Could not open %1</source>
        <translation>No se pudo abrir %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Timed out after %1 ms while loading %2</source>
        <translation>Se agotó el tiempo tras %1 ms al cargar %2</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Could not open the session</source>
        <translation>No se pudo abrir la sesión</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::MaskingLabPanel</name>
    <message>
        <location filename="../ui/views/masking_lab_panel.cpp" line="+11"/>
        <source>This is the masking that training runs (the example builder of bertlab-cli make-examples and of training runs): about 15% of the sequence, [CLS] and [SEP] counted but never chosen, at most the cap; of the chosen tokens 80% become [MASK], 10% a random vocabulary token and 10% stay as they are. Change the seed to draw again.</source>
        <translation>Este es el enmascaramiento que usa el entrenamiento (el generador de ejemplos de bertlab-cli make-examples y de las ejecuciones de entrenamiento): alrededor del 15% de la secuencia, contando [CLS] y [SEP] pero sin elegirlos nunca, como mucho el tope; de los tokens elegidos, el 80% pasa a [MASK], el 10% a un token aleatorio del vocabulario y el 10% queda como está. Cambie la semilla para volver a sortear.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Next seed</source>
        <translation>Semilla siguiente</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--masked-lm-prob: the share of the sequence to predict</source>
        <translation>--masked-lm-prob: la proporción de la secuencia que se predice</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--max-predictions: at most this many predicted tokens per sequence</source>
        <translation>--max-predictions: como mucho este número de tokens predichos por secuencia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole words</source>
        <translation>Palabras enteras</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--whole-word-mask: the ## pieces of a word are chosen together with it</source>
        <translation>--whole-word-mask: las piezas ## de una palabra se eligen junto con ella</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Share</source>
        <translation>Proporción</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cap</source>
        <translation>Tope</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Tokens as the masking procedure changed them</source>
        <translation>Los tokens tal como los cambió el procedimiento de enmascaramiento</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 → [MASK] &amp;nbsp;&amp;nbsp; %2 → random token &amp;nbsp;&amp;nbsp; %3 kept (still predicted) &amp;nbsp;&amp;nbsp; %4 not chosen</source>
        <translation>%1 → [MASK] &amp;nbsp;&amp;nbsp; %2 → token aleatorio &amp;nbsp;&amp;nbsp; %3 conservado (aún se predice) &amp;nbsp;&amp;nbsp; %4 no elegido</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Position</source>
        <translation>Posición</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What happened</source>
        <translation>Qué ocurrió</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model sees</source>
        <translation>El modelo ve</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Type a sentence to try the masking procedure.</source>
        <translation>Escriba una oración para probar el procedimiento de enmascaramiento.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a model: the masking draws its random tokens from the model&apos;s vocabulary.</source>
        <translation>Abra un modelo: el enmascaramiento toma sus tokens aleatorios del vocabulario del modelo.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This model&apos;s vocabulary cannot be masked as in training: %1</source>
        <translation>El vocabulario de este modelo no se puede enmascarar como en el entrenamiento: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>(kept)</source>
        <translation>(conservado)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>[CLS] / [SEP]: counted in the share, never chosen</source>
        <translation>[CLS] / [SEP]: cuentan en la proporción, nunca se eligen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 tokens → target min(cap %2, max(1, round(%3% × %1))) = %4; %5 chosen from %6 candidates (all but [CLS] and [SEP]%7): %8 → [MASK], %9 → random, %10 kept. Training asks the model for the original token at every chosen position.</source>
        <translation>%1 tokens → objetivo min(tope %2, max(1, round(%3% × %1))) = %4; %5 elegidos de %6 candidatos (todos menos [CLS] y [SEP]%7): %8 → [MASK], %9 → aleatorio, %10 conservados. El entrenamiento pide al modelo el token original en cada posición elegida.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>; whole words that would pass the target are skipped</source>
        <translation>; se omiten las palabras enteras que superarían el objetivo</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::MlmView</name>
    <message>
        <location filename="../ui/views/mlm_view.cpp" line="+67"/>
        <source>No token is masked. Click a token in the input panel (or type [MASK]) and the model will guess what belongs there.</source>
        <translation>No hay ningún token enmascarado. Haga clic en un token del panel de entrada (o escriba [MASK]) y el modelo adivinará qué va ahí.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Guesses</source>
        <translation>Predicciones</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Masked position</source>
        <translation>Posición enmascarada</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>read out after</source>
        <translation>leído tras</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>candidate token</source>
        <translation>token candidato</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+228"/>
        <source>probability</source>
        <translation>probabilidad</translation>
    </message>
    <message>
        <location line="-229"/>
        <location line="+5"/>
        <source>Logit lens</source>
        <translation>Lente de logits</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Masked-word guesses</source>
        <translation>Predicciones de palabras enmascaradas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For each masked position, the model&apos;s top guesses as bars of probability.</source>
        <translation>Para cada posición enmascarada, las mejores predicciones del modelo como barras de probabilidad.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Masking lab</source>
        <translation>Laboratorio de enmascaramiento</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click a guess to see which input words it rests on (Attribution)</source>
        <translation>Haga clic en una predicción para ver en qué palabras de la entrada se apoya (Atribución)</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+49"/>
        <source>Run an analysis with a [MASK] token to see the model&apos;s guesses.</source>
        <translation>Ejecute un análisis con un token [MASK] para ver las predicciones del modelo.</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Masked words</source>
        <translation>Palabras enmascaradas</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>BERT was trained to fill in hidden words. For every [MASK] in your input, the bars show the model&apos;s top guesses and their probabilities (the original word, if you masked a real one, is drawn in orange). The logit lens applies the same prediction head to the hidden state after every layer: read it top to bottom to see how the guess forms, from the embeddings to the last layer; grey cells mean the token was not among that layer&apos;s top guesses. The masking lab replays the pre-training recipe on your sentence: 15% of the non-special tokens are chosen, and of those 80% become [MASK], 10% a random token and 10% stay unchanged.</source>
        <translation>BERT se entrenó para rellenar palabras ocultas. Para cada [MASK] de su entrada, las barras muestran las mejores predicciones del modelo y sus probabilidades (la palabra original, si enmascaró una real, se dibuja en naranja). La lente de logits aplica la misma cabeza de predicción al estado oculto tras cada capa: léala de arriba abajo para ver cómo se forma la predicción, desde los embeddings hasta la última capa; las celdas grises indican que el token no estaba entre las mejores predicciones de esa capa. El laboratorio de enmascaramiento repite sobre su oración la receta del preentrenamiento: se elige el 15% de los tokens no especiales y, de ellos, el 80% pasa a [MASK], el 10% a un token aleatorio y el 10% queda sin cambios.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>This model has no MLM head, so it cannot guess masked words. (Its checkpoint holds no cls.predictions weights; fine-tuned classifiers usually drop them.)</source>
        <translation>Este modelo no tiene cabeza MLM, así que no puede adivinar palabras enmascaradas. (Su checkpoint no contiene pesos cls.predictions; los clasificadores ajustados suelen descartarlos.)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>position %1 (was %2)</source>
        <translation>posición %1 (era %2)</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Position %1</source>
        <translation>Posición %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · original: %1 (orange if guessed)</source>
        <translation> · original: %1 (en naranja si se predijo)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · best guess: %1 (%2)</source>
        <translation> · mejor predicción: %1 (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>
heads off; grey = intact model, whose best guess was %1 (%2)</source>
        <translation>
cabezas apagadas; gris = modelo intacto, cuya mejor predicción era %1 (%2)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>  (intact %1)</source>
        <translation>  (intacto %1)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>No token is masked, so there is nothing to follow through the layers.</source>
        <translation>No hay ningún token enmascarado, así que no hay nada que seguir a través de las capas.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This run kept no logit lens (the probe did not ask for it).</source>
        <translation>Esta ejecución no conservó la lente de logits (la sonda no la pidió).</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>embeddings</source>
        <translation>embeddings</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>layer %1</source>
        <translation>capa %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>top-1: %1 (%2)</source>
        <translation>top-1: %1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>  = intact</source>
        <translation>  = intacto</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>  ◆ intact: %1</source>
        <translation>  ◆ intacto: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Position %1 (was &lt;b&gt;%2&lt;/b&gt;). Each row applies the MLM head to the hidden state after that layer; cells give the probability in percent, ★ marks the row&apos;s top-1, grey means not in that layer&apos;s top %3. Read top to bottom to watch the guess form.</source>
        <translation>Posición %1 (era &lt;b&gt;%2&lt;/b&gt;). Cada fila aplica la cabeza MLM al estado oculto tras esa capa; las celdas dan la probabilidad en porcentaje, ★ marca el top-1 de la fila y el gris indica que no está en el top %3 de esa capa. Léala de arriba abajo para ver cómo se forma la predicción.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> &lt;b&gt;Heads are switched off:&lt;/b&gt; every layer&apos;s top-1 is the intact model&apos;s.</source>
        <translation> &lt;b&gt;Hay cabezas apagadas:&lt;/b&gt; el top-1 de cada capa es el del modelo intacto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> &lt;b&gt;Heads are switched off:&lt;/b&gt; ◆ marks the %1 layer(s) whose top-1 differs from the intact model&apos;s.</source>
        <translation> &lt;b&gt;Hay cabezas apagadas:&lt;/b&gt; ◆ marca las %1 capas cuyo top-1 difiere del del modelo intacto.</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+29"/>
        <source>Nothing to export: no masked-word predictions are shown.</source>
        <translation>Nada que exportar: no se muestran predicciones de palabras enmascaradas.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>masked-word guesses</source>
        <translation>predicciones de palabras enmascaradas</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>logit lens, position %1</source>
        <translation>lente de logits, posición %1</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ModelCard</name>
    <message>
        <location filename="../ui/model_card.cpp" line="+67"/>
        <source>&lt;p&gt;&lt;i&gt;No model loaded.&lt;/i&gt;&lt;/p&gt;&lt;p&gt;Use &lt;b&gt;File ▸ Open Model…&lt;/b&gt; or drop a model folder on the window.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;No hay ningún modelo cargado.&lt;/i&gt;&lt;/p&gt;&lt;p&gt;Use &lt;b&gt;Archivo ▸ Abrir modelo…&lt;/b&gt; o suelte una carpeta de modelo sobre la ventana.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&lt;span style=&apos;color:#009e73&apos;&gt;✔ present&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#009e73&apos;&gt;✔ presente&lt;/span&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;span style=&apos;color:#d55e00&apos;&gt;✘ missing&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#d55e00&apos;&gt;✘ ausente&lt;/span&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>Capas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hidden size</source>
        <translation>Tamaño oculto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heads</source>
        <translation>Cabezas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 × %2 dims</source>
        <translation>%1 × %2 dimensiones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Feed-forward</source>
        <translation>Feed-forward</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activation</source>
        <translation>Activación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vocabulary</source>
        <translation>Vocabulario</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 wordpieces</source>
        <translation>%1 subpalabras</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max positions</source>
        <translation>Posiciones máximas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segment types</source>
        <translation>Tipos de segmento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Casing</source>
        <translation>Mayúsculas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>uncased</source>
        <translation>sin distinguir (uncased)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cased</source>
        <translation>distingue (cased)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Weight memory</source>
        <translation>Memoria de los pesos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fast preview</source>
        <translation>Vista previa rápida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pooler</source>
        <translation>Pooler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Masked-LM head</source>
        <translation>Cabeza de lenguaje enmascarado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next-sentence head</source>
        <translation>Cabeza de oración siguiente</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;p&gt;&lt;b&gt;Warnings&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Advertencias&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>off: not asked for</source>
        <translation>desactivada: no se pidió</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>off: this CPU has no native bfloat16 (AMX or AVX-512 BF16)</source>
        <translation>desactivada: esta CPU no tiene bfloat16 nativo (AMX o AVX-512 BF16)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not needed: %1 of float32 weights, under the %2 where a bfloat16 preview pays off</source>
        <translation>no hace falta: %1 de pesos float32, menos de los %2 a partir de los que compensa una vista previa en bfloat16</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>off: %1 of free memory, under four times the %2 of bfloat16 copies</source>
        <translation>desactivada: %1 de memoria libre, menos de cuatro veces los %2 de las copias bfloat16</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>on: bfloat16 copies, %1</source>
        <translation>activada: copias bfloat16, %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+4"/>
        <location line="+6"/>
        <source>Classifier</source>
        <translation>Clasificador</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>none (not fine-tuned)</source>
        <translation>ninguno (sin ajuste fino)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sequence classification</source>
        <translation>clasificación de secuencias</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token classification</source>
        <translation>clasificación de tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — &lt;span style=&apos;color:#d55e00&apos;&gt;✘ classifier missing&lt;/span&gt; (config.json names one, the checkpoint has no classifier.* weights)</source>
        <translation>%1 — &lt;span style=&apos;color:#d55e00&apos;&gt;✘ falta el clasificador&lt;/span&gt; (config.json nombra uno, el checkpoint no tiene pesos classifier.*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;span style=&apos;color:#009e73&apos;&gt;✔&lt;/span&gt; %1</source>
        <translation>&lt;span style=&apos;color:#009e73&apos;&gt;✔&lt;/span&gt; %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Labels</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ModelLoader</name>
    <message>
        <location filename="../ui/model_loader.cpp" line="+43"/>
        <source>Could not load the model.</source>
        <translation>No se pudo cargar el modelo.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Unknown error</source>
        <translation>Error desconocido</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::NewRunDialog</name>
    <message>
        <location filename="../ui/training/new_run_dialog.cpp" line="-302"/>
        <source>New Training Run</source>
        <translation>Nueva ejecución de entrenamiento</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A UTF-8 .txt: one sentence per line and blank lines between documents, or paragraphs</source>
        <translation>Un .txt en UTF-8: una oración por línea y líneas en blanco entre documentos, o párrafos</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+114"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>The first lines of the corpus appear here.</source>
        <translation>Aquí aparecen las primeras líneas del corpus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+257"/>
        <source>No corpus chosen.</source>
        <translation>No se ha elegido ningún corpus.</translation>
    </message>
    <message>
        <location line="-256"/>
        <location line="+158"/>
        <source>Corpus</source>
        <translation>Corpus</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Build a WordPiece vocabulary from the corpus, tokens:</source>
        <translation>Construir un vocabulario WordPiece a partir del corpus, tokens:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>BERT uses 30,522. Small corpora only fill a few thousand; the rest become [unused] slots.</source>
        <translation>BERT usa 30.522. Los corpus pequeños solo llenan unos pocos miles; el resto quedan como huecos [unused].</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reuse the open model&apos;s vocabulary (%L1 tokens)</source>
        <translation>Reutilizar el vocabulario del modelo abierto (%L1 tokens)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reuse the open model&apos;s vocabulary (no model open)</source>
        <translation>Reutilizar el vocabulario del modelo abierto (no hay ningún modelo abierto)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vocabulary</source>
        <translation>Vocabulario</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>New model:</source>
        <translation>Modelo nuevo:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiny (L2 H128 A2)</source>
        <translation>Diminuto (L2 H128 A2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mini (L4 H256 A4)</source>
        <translation>Mini (L4 H256 A4)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Small (L4 H512 A8)</source>
        <translation>Pequeño (L4 H512 A8)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium (L8 H512 A8)</source>
        <translation>Mediano (L8 H512 A8)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom sizes</source>
        <translation>Tamaños personalizados</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Continue pretraining the open model (no model open)</source>
        <translation>Continuar el preentrenamiento del modelo abierto (no hay ningún modelo abierto)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue pretraining the open model</source>
        <translation>Continuar el preentrenamiento del modelo abierto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue pretraining the open model (%1)</source>
        <translation>Continuar el preentrenamiento del modelo abierto (%1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>layers</source>
        <translation>capas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>hidden</source>
        <translation>oculto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>heads</source>
        <translation>cabezas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FFN</source>
        <translation>FFN</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Presets are the compact BERTs of Turc et al. 2019; the FFN is 4 × hidden.</source>
        <translation>Los preajustes son los BERT compactos de Turc et al. 2019; la FFN mide 4 × oculto.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>auto (10% of steps)</source>
        <translation>automático (10% de los pasos)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mask every piece of a word together</source>
        <translation>enmascarar juntas todas las piezas de una palabra</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bfloat16</source>
        <translation>bfloat16</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This CPU has no native bfloat16 (AVX-512 BF16 or AMX), so bfloat16 would only be emulated, slower than float32.</source>
        <translation>Esta CPU no tiene bfloat16 nativo (AVX-512 BF16 ni AMX): bfloat16 solo se emularía, más lento que float32.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hyperparameters (BERT paper&apos;s values below each)</source>
        <translation>Hiperparámetros (bajo cada uno, el valor del artículo de BERT)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Batch size</source>
        <translation>Tamaño de lote</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 256 sequences per step.</source>
        <translation>Artículo: 256 secuencias por paso.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence length</source>
        <translation>Longitud de secuencia</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 128 tokens for 90% of steps, then 512.</source>
        <translation>Artículo: 128 tokens durante el 90% de los pasos, después 512.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>Pasos</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 1,000,000 steps (about 40 epochs of 3.3 B words).</source>
        <translation>Artículo: 1.000.000 de pasos (unas 40 épocas de 3.300 millones de palabras).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak learning rate</source>
        <translation>Tasa de aprendizaje máxima</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 1e-4 with Adam, decayed linearly to 0.</source>
        <translation>Artículo: 1e-4 con Adam, con decaimiento lineal hasta 0.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warmup steps</source>
        <translation>Pasos de calentamiento</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 10,000 steps of linear warmup.</source>
        <translation>Artículo: 10.000 pasos de calentamiento lineal.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Masking probability</source>
        <translation>Probabilidad de enmascaramiento</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 15% of tokens (80% [MASK], 10% random, 10% kept).</source>
        <translation>Artículo: 15% de los tokens (80% [MASK], 10% aleatorio, 10% conservado).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole-word masking</source>
        <translation>Enmascaramiento de palabras enteras</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Off in the paper; Google&apos;s 2019 update masks whole words.</source>
        <translation>Desactivado en el artículo; la actualización de Google de 2019 enmascara palabras enteras.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paper: 0.1 on every layer and on attention weights.</source>
        <translation>Artículo: 0,1 en todas las capas y en los pesos de atención.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Same seed, same data and settings: the same run, step for step.</source>
        <translation>Misma semilla, mismos datos y ajustes: la misma ejecución, paso a paso.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Precision</source>
        <translation>Precisión</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>bfloat16: matrix products in half the bits, faster; weights, Adam and LayerNorm stay float32.</source>
        <translation>bfloat16: productos de matrices con la mitad de bits, más rápidos; los pesos, Adam y LayerNorm siguen en float32.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>only at the end</source>
        <translation>solo al final</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output</source>
        <translation>Salida</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+49"/>
        <source>Run folder</source>
        <translation>Carpeta de la ejecución</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>held-out evaluation every</source>
        <translation>evaluación con datos reservados cada</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checkpoint every</source>
        <translation>Checkpoint cada</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Start Training</source>
        <translation>Iniciar el entrenamiento</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Text (*.txt);;All files (*)</source>
        <translation>Texto (*.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+74"/>
        <location line="+134"/>
        <source>The hidden size must be a multiple of the number of heads.</source>
        <translation>El tamaño oculto debe ser múltiplo del número de cabezas.</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>&lt;b&gt;Estimate:&lt;/b&gt; %L1 parameters · about %2 of memory · about %3 per step on %4 thread(s), %5 for %L6 steps. &lt;i&gt;Rough: from a FLOP count (%7 GFLOP per step) at %8 GFLOP/s per thread, from products timed on this machine; the run view shows the real speed.&lt;/i&gt;</source>
        <translation>&lt;b&gt;Estimación:&lt;/b&gt; %L1 parámetros · unos %2 de memoria · unos %3 por paso con %4 hilo(s), %5 para %L6 pasos. &lt;i&gt;Aproximado: a partir de un recuento de FLOP (%7 GFLOP por paso) a %8 GFLOP/s por hilo, según productos cronometrados en esta máquina; la vista de la ejecución muestra la velocidad real.&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot read %1.</source>
        <translation>No se puede leer %1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Counting sentences and documents…</source>
        <translation>Contando oraciones y documentos…</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Choose a corpus file.</source>
        <translation>Elija un archivo de corpus.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The corpus %1 does not exist.</source>
        <translation>El corpus %1 no existe.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an output folder.</source>
        <translation>Elija una carpeta de salida.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The output folder %1 is not empty: choose a new one.</source>
        <translation>La carpeta de salida %1 no está vacía: elija otra nueva.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The open model only has %1 positions: lower the sequence length.</source>
        <translation>El modelo abierto solo tiene %1 posiciones: reduzca la longitud de secuencia.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::NspView</name>
    <message>
        <location filename="../ui/views/nsp_view.cpp" line="+28"/>
        <source>Swap A/B</source>
        <translation>Intercambiar A/B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exchange the two sentences and run again: does the order matter to the model?</source>
        <translation>Intercambiar las dos oraciones y volver a ejecutar: ¿le importa el orden al modelo?</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>What the model saw (token type ids):</source>
        <translation>Lo que vio el modelo (token type ids):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Token type ids the model saw</source>
        <translation>Token type ids que vio el modelo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;span style=&apos;background:%1&apos;&gt;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&lt;/span&gt; type id 0 ([CLS] A [SEP]) &amp;nbsp;&amp;nbsp; &lt;span style=&apos;background:%2&apos;&gt;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&lt;/span&gt; type id 1 (B [SEP])</source>
        <translation>&lt;span style=&apos;background:%1&apos;&gt;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&lt;/span&gt; type id 0 ([CLS] A [SEP]) &amp;nbsp;&amp;nbsp; &lt;span style=&apos;background:%2&apos;&gt;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&lt;/span&gt; type id 1 (B [SEP])</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+81"/>
        <source>Run an analysis with two sentences to ask whether B follows A.</source>
        <translation>Ejecute un análisis con dos oraciones para preguntar si B sigue a A.</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>Next sentence</source>
        <translation>Oración siguiente</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>BERT was also trained on pairs of sentences: half the time B really followed A in the text, half the time B was a random sentence. The NSP head reads the [CLS] token&apos;s pooled vector and gives two scores (logits); their softmax is the probability that B follows A versus that B is random. The strip shows the token type ids the model actually saw: 0 for [CLS], A and the first [SEP], 1 for B and the final [SEP]. &quot;Swap A/B&quot; runs the pair the other way round. A high score means the pair looks coherent to the model, often just because A and B share a topic.</source>
        <translation>BERT también se entrenó con pares de oraciones: la mitad de las veces B seguía realmente a A en el texto y la otra mitad B era una oración aleatoria. La cabeza NSP lee el vector agrupado (pooled) del token [CLS] y da dos puntuaciones (logits); su softmax es la probabilidad de que B siga a A frente a la de que B sea aleatoria. La franja muestra los token type ids que vio realmente el modelo: 0 para [CLS], A y el primer [SEP]; 1 para B y el [SEP] final. «Intercambiar A/B» ejecuta el par al revés. Una puntuación alta significa que el par le parece coherente al modelo, a menudo solo porque A y B comparten tema.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>position %1, token type id %2</source>
        <translation>posición %1, token type id %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This model has no NSP head, so it cannot say whether B follows A. (Its checkpoint holds no pooler or cls.seq_relationship weights.)</source>
        <translation>Este modelo no tiene cabeza NSP, así que no puede decir si B sigue a A. (Su checkpoint no contiene pesos del pooler ni de cls.seq_relationship.)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>There is no sentence B. Enter a second sentence to ask whether it follows the first.</source>
        <translation>No hay oración B. Escriba una segunda oración para preguntar si sigue a la primera.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This run did not ask for next-sentence prediction.</source>
        <translation>Esta ejecución no pidió la predicción de la oración siguiente.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>B follows A: %1 → %2</source>
        <translation>B sigue a A: %1 → %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B is a random sentence: %1 → %2 (intact → with heads switched off)</source>
        <translation>B es una oración aleatoria: %1 → %2 (intacto → con cabezas apagadas)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>B follows A: %1</source>
        <translation>B sigue a A: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B is a random sentence: %1</source>
        <translation>B es una oración aleatoria: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>follows %1</source>
        <translation>sigue %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>random %1</source>
        <translation>aleatoria %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logits: IsNext %1, NotNext %2 — their softmax gives the two probabilities.</source>
        <translation>Logits: IsNext %1, NotNext %2; su softmax da las dos probabilidades.</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+14"/>
        <source>Nothing to export: no next-sentence prediction is shown.</source>
        <translation>Nada que exportar: no se muestra ninguna predicción de oración siguiente.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>next sentence prediction</source>
        <translation>predicción de la oración siguiente</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::OpenModelDialog</name>
    <message>
        <location filename="../ui/open_model_dialog.cpp" line="+26"/>
        <source>Open a BERT model folder or weight file</source>
        <translation>Abrir una carpeta de modelo BERT o un archivo de pesos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model folders and weight files (*.safetensors *.bin *.index *.json)</source>
        <translation>Carpetas de modelo y archivos de pesos (*.safetensors *.bin *.index *.json)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model or repo id:</source>
        <translation>Modelo o repo id:</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ProbabilityBar</name>
    <message>
        <location filename="../ui/views/probability_bar.cpp" line="+14"/>
        <source>Next-sentence probability</source>
        <translation>Probabilidad de la oración siguiente</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ProbeDialog</name>
    <message>
        <location filename="../ui/finetune/probe_dialog.cpp" line="+40"/>
        <source>Probe Layers</source>
        <translation>Sondear las capas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A &lt;b&gt;linear probe&lt;/b&gt; asks how well a plain linear classifier can read a task&apos;s labels off each layer&apos;s hidden states, without changing the model: layer 0 is the embedding output, then one point per encoder layer. The dashed line is the majority baseline (always guessing the most frequent training label).</source>
        <translation>Una &lt;b&gt;sonda lineal&lt;/b&gt; mide lo bien que un clasificador lineal simple puede leer las etiquetas de una tarea a partir de los estados ocultos de cada capa, sin cambiar el modelo: la capa 0 es la salida de los embeddings, y después hay un punto por capa del codificador. La línea discontinua es la referencia de la clase mayoritaria (predecir siempre la etiqueta de entrenamiento más frecuente).</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+8"/>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Model:</source>
        <translation>Modelo:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token task (each word&apos;s first wordpiece)</source>
        <translation>Tarea de tokens (primera subpalabra de cada palabra)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence task (mean of the sentence&apos;s states)</source>
        <translation>Tarea de secuencias (media de los estados de la oración)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task:</source>
        <translation>Tarea:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Training file:</source>
        <translation>Archivo de entrenamiento:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dev file:</source>
        <translation>Archivo de validación:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ready examples:</source>
        <translation>Ejemplos listos:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Training items are capped by a seeded sample so every layer&apos;s features fit in memory</source>
        <translation>Los elementos de entrenamiento se limitan con una muestra con semilla para que las características de todas las capas quepan en memoria</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max sequence length:</source>
        <translation>Longitud máxima de secuencia:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Max training items:</source>
        <translation>Máximo de elementos de entrenamiento:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Run Probe</source>
        <translation>Ejecutar la sonda</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+89"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Linear probe: dev accuracy per layer</source>
        <translation>Sonda lineal: exactitud en validación por capa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>layer (0 = embeddings)</source>
        <translation>capa (0 = embeddings)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>dev accuracy</source>
        <translation>exactitud en validación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>probe</source>
        <translation>sonda</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>majority baseline</source>
        <translation>referencia mayoritaria</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model folder</source>
        <translation>Carpeta del modelo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Training file</source>
        <translation>Archivo de entrenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dev file</source>
        <translation>Archivo de validación</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Task data (*.csv *.tsv *.jsonl *.conll *.txt);;All files (*)</source>
        <translation>Datos de la tarea (*.csv *.tsv *.jsonl *.conll *.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose a model, a training file and a dev file.</source>
        <translation>Elija un modelo, un archivo de entrenamiento y un archivo de validación.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reading the data and computing every layer&apos;s features…</source>
        <translation>Leyendo los datos y calculando las características de cada capa…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Probing: %1 of %2</source>
        <translation>Sondeando: %1 de %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The probe failed for an unknown reason.</source>
        <translation>La sonda falló por un motivo desconocido.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Best: layer %1, dev accuracy %2 (majority baseline %3, always &quot;%4&quot;); %5 training and %6 dev items, %7 labels.</source>
        <translation>Mejor: capa %1, exactitud en validación %2 (referencia mayoritaria %3, siempre «%4»); %5 elementos de entrenamiento y %6 de validación, %7 etiquetas.</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+10"/>
        <source>Nothing to export: run the probe first.</source>
        <translation>Nada que exportar: ejecute primero la sonda.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>linear probe per layer</source>
        <translation>sonda lineal por capa</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Export Probe</source>
        <translation>Exportar la sonda</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV table (*.csv);;JSON (*.json)</source>
        <translation>Imagen PNG (*.png);;Documento PDF (*.pdf);;Dibujo SVG (*.svg);;Tabla CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export failed: %1</source>
        <translation>La exportación falló: %1</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::RecentModelsMenu</name>
    <message>
        <location filename="../ui/recent_models_menu.cpp" line="+24"/>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Clear List</source>
        <translation>Vaciar la lista</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::RunView</name>
    <message>
        <location filename="../ui/training/run_view.cpp" line="+42"/>
        <source>Loss</source>
        <translation>Pérdida</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cross-entropy</source>
        <translation>entropía cruzada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy</source>
        <translation>Exactitud</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>share correct</source>
        <translation>proporción de aciertos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>Tasa de aprendizaje</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>rate</source>
        <translation>tasa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient norm (before clipping)</source>
        <translation>Norma del gradiente (antes del recorte)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>L2 norm</source>
        <translation>norma L2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Smooth</source>
        <translation>Suavizar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exponential moving average (0.9) of the training curves; held-out points stay raw.</source>
        <translation>Media móvil exponencial (0,9) de las curvas de entrenamiento; los puntos de los datos reservados quedan sin suavizar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log scale</source>
        <translation>Escala logarítmica</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logarithmic y axis for the loss and the gradient norm.</source>
        <translation>Eje y logarítmico para la pérdida y la norma del gradiente.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare with run…</source>
        <translation>Comparar con una ejecución…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the curves of another run folder to the same axes.</source>
        <translation>Añadir las curvas de otra carpeta de ejecución a los mismos ejes.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear others</source>
        <translation>Quitar las demás</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove compared runs, keep the live one.</source>
        <translation>Quitar las ejecuciones comparadas y conservar la actual.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+385"/>
        <source>No run yet: Training ▸ New Training Run…</source>
        <translation>Todavía no hay ninguna ejecución: Entrenamiento ▸ Nueva ejecución de entrenamiento…</translation>
    </message>
    <message>
        <location line="-382"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after the current step; a checkpoint is written so the run can be resumed.</source>
        <translation>Detener tras el paso actual; se escribe un checkpoint para poder reanudar la ejecución.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Explore this checkpoint</source>
        <translation>Explorar este checkpoint</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the selected checkpoint in the explorer views; training continues.</source>
        <translation>Abrir el checkpoint seleccionado en las vistas del explorador; el entrenamiento continúa.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Explore live weights</source>
        <translation>Explorar los pesos actuales</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the weights as they are now (between two steps) and open the copy in the explorer.</source>
        <translation>Copiar los pesos tal como están ahora (entre dos pasos) y abrir la copia en el explorador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replay the run: each position opens a checkpoint in the explorer with your sentence (Left/Right step through them).</source>
        <translation>Reproducir la ejecución: cada posición abre un checkpoint en el explorador con su oración (Izquierda/Derecha para recorrerlos).</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+327"/>
        <source>Play</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <location line="-325"/>
        <source>Step through the checkpoints from the first, one every 1.5 s.</source>
        <translation>Recorrer los checkpoints desde el primero, uno cada 1,5 s.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Checkpoints&lt;/b&gt;</source>
        <translation>&lt;b&gt;Checkpoints&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Replay</source>
        <translation>Repetición</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>Preparing: %1…</source>
        <translation>Preparando: %1…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>preparing %p%</source>
        <translation>preparando %p%</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Run failed:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;La ejecución falló:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Finished: %1 steps, final loss %2. The model is in %3.</source>
        <translation>Terminado: %1 pasos, pérdida final %2. El modelo está en %3.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped at step %1; the checkpoint lets Training ▸ Resume Run continue it.</source>
        <translation>Detenido en el paso %1; el checkpoint permite continuar con Entrenamiento ▸ Reanudar ejecución.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 has no metrics.jsonl: not a training run folder</source>
        <translation>%1 no tiene metrics.jsonl: no es una carpeta de ejecución de entrenamiento</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Run folder to compare</source>
        <translation>Carpeta de la ejecución que se compara</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>%v / %m steps</source>
        <translation>%v / %m pasos</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+24"/>
        <source>Paused at step %1 — Resume continues exactly where it stopped.</source>
        <translation>En pausa en el paso %1; Reanudar continúa exactamente donde se detuvo.</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Step %1 of %2 · loss %3 · MLM accuracy %4 · %5 tokens/s · ETA %6</source>
        <translation>Paso %1 de %2 · pérdida %3 · exactitud MLM %4 · %5 tokens/s · tiempo restante %6</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Stopping after the current step and writing a checkpoint…</source>
        <translation>Deteniendo tras el paso actual y escribiendo un checkpoint…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preparing…</source>
        <translation>Preparando…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Step %1</source>
        <translation>Paso %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (weights only)</source>
        <translation>%1 (solo pesos)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Pause replay</source>
        <translation>Pausar la reproducción</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>total</source>
        <translation>total</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>MLM</source>
        <translation>MLM</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>NSP</source>
        <translation>NSP</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>held-out total</source>
        <translation>total reservado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>held-out MLM</source>
        <translation>MLM reservado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>held-out NSP</source>
        <translation>NSP reservado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lr</source>
        <translation>lr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>norm</source>
        <translation>norma</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::SessionController</name>
    <message>
        <location filename="../ui/session_controller.cpp" line="+58"/>
        <source>The session&apos;s model %1 does not exist.</source>
        <translation>El modelo de la sesión, %1, no existe.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not switch the session&apos;s heads off</source>
        <translation>No se pudieron apagar las cabezas de la sesión</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open Session</source>
        <translation>Abrir sesión</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not open the session</source>
        <translation>No se pudo abrir la sesión</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save Session</source>
        <translation>Guardar sesión</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not save the session</source>
        <translation>No se pudo guardar la sesión</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::Sessions</name>
    <message>
        <location filename="../ui/session.cpp" line="+55"/>
        <source>Not a session file: %1</source>
        <translation>No es un archivo de sesión: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not a bertlab session file.</source>
        <translation>No es un archivo de sesión de bertlab.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Session file version %1 is not supported.</source>
        <translation>La versión %1 del archivo de sesión no es compatible.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is too large to be a session file.</source>
        <translation>%1 es demasiado grande para ser un archivo de sesión.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::StatusIndicators</name>
    <message>
        <location filename="../ui/status_indicators.cpp" line="+28"/>
        <location line="+18"/>
        <source>%1 tokens · %2 ms preview</source>
        <translation>%1 tokens · vista previa en %2 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 tokens · %2 ms</source>
        <translation>%1 tokens · %2 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A bfloat16 preview; the exact float32 analysis follows</source>
        <translation>Una vista previa en bfloat16; a continuación llega el análisis exacto en float32</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The exact float32 analysis</source>
        <translation>El análisis exacto en float32</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no model</source>
        <translation>sin modelo</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::TokenStrip</name>
    <message>
        <location filename="../ui/token_strip.cpp" line="+41"/>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The wordpieces the model reads. Left and Right move between tokens, Space, Enter or M replaces the current token by [MASK] or restores it, Home and End go to the first and last token.</source>
        <translation>Las subpalabras que lee el modelo. Izquierda y Derecha se mueven entre los tokens; Espacio, Intro o M sustituyen el token actual por [MASK] o lo restauran; Inicio y Fin van al primer y al último token.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>special token</source>
        <translation>token especial</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>masked, was %1</source>
        <translation>enmascarado, era %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>[MASK] typed in the text</source>
        <translation>[MASK] escrito en el texto</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Token %1 of %2: %3</source>
        <translation>Token %1 de %2: %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token %1 of %2: %3 (%4)</source>
        <translation>Token %1 de %2: %3 (%4)</translation>
    </message>
    <message>
        <location line="+140"/>
        <source>Tokens appear here once the model has read the text.</source>
        <translation>Los tokens aparecen aquí en cuanto el modelo ha leído el texto.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::TrainingController</name>
    <message>
        <location filename="../ui/training/training_controller.cpp" line="+41"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget</source>
        <translation>Olvidar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop offering this run; its folder is left untouched.</source>
        <translation>Dejar de ofrecer esta ejecución; su carpeta no se toca.</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+77"/>
        <source>Training</source>
        <translation>Entrenamiento</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>&amp;Training</source>
        <translation>&amp;Entrenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New Training Run…</source>
        <translation>&amp;Nueva ejecución de entrenamiento…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume Run…</source>
        <translation>&amp;Reanudar ejecución…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Compare with Run…</source>
        <translation>&amp;Comparar con una ejecución…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Run folder to compare</source>
        <translation>Carpeta de la ejecución que se compara</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Opening %1; training continues.</source>
        <translation>Abriendo %1; el entrenamiento continúa.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The training run &lt;b&gt;%1&lt;/b&gt; was interrupted (last checkpoint at step %2). Resume it?</source>
        <translation>La ejecución de entrenamiento &lt;b&gt;%1&lt;/b&gt; se interrumpió (último checkpoint en el paso %2). ¿Reanudarla?</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A run is already training. Stop it first (its checkpoint lets you resume it later).</source>
        <translation>Ya hay una ejecución entrenando. Deténgala primero (su checkpoint le permite reanudarla más tarde).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Training failed: %1</source>
        <translation>El entrenamiento falló: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training finished.</source>
        <translation>Entrenamiento terminado.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Training stopped.</source>
        <translation>Entrenamiento detenido.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Run folder to resume</source>
        <translation>Carpeta de la ejecución que se reanuda</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resume Run</source>
        <translation>Reanudar ejecución</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 has no checkpoints to resume from.</source>
        <translation>%1 no tiene checkpoints desde los que reanudar.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>A run is training</source>
        <translation>Hay una ejecución entrenando</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The run in %1 is still training.</source>
        <translation>La ejecución de %1 sigue entrenando.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop it now (a checkpoint is written and the run is offered for resume next time), or keep it training in the background and quit when it finishes?</source>
        <translation>¿Detenerla ahora (se escribe un checkpoint y la ejecución se ofrecerá para reanudarla la próxima vez) o dejar que siga entrenando en segundo plano y salir cuando termine?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop and Quit</source>
        <translation>Detener y salir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep Training, Quit When Done</source>
        <translation>Seguir entrenando y salir al terminar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopping the run and writing a checkpoint…</source>
        <translation>Deteniendo la ejecución y escribiendo un checkpoint…</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::TrainingRun</name>
    <message>
        <location filename="../ui/training/training_run.cpp" line="+101"/>
        <source>No run is training, so there are no live weights to copy.</source>
        <translation>No hay ninguna ejecución entrenando, así que no hay pesos actuales que copiar.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Could not copy the live weights: %1</source>
        <translation>No se pudieron copiar los pesos actuales: %1</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>The disk holding %1 is full. %2</source>
        <translation>El disco que contiene %1 está lleno. %2</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>The disk holding %1 is almost full: training stopped at step %2. The last good checkpoint, %3, is intact.</source>
        <translation>El disco que contiene %1 está casi lleno: el entrenamiento se detuvo en el paso %2. El último checkpoint correcto, %3, está intacto.</translation>
    </message>
</context>
<context>
    <name>bertlab::ui::ViewExporter</name>
    <message>
        <location filename="../ui/view_exporter.cpp" line="+52"/>
        <source>The exact analysis is still running; try again in a moment.</source>
        <translation>El análisis exacto todavía está en curso; inténtelo de nuevo en un momento.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nothing to export yet.</source>
        <translation>Todavía no hay nada que exportar.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cannot create the folder %1</source>
        <translation>No se puede crear la carpeta %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Could not render the %1 view</source>
        <translation>No se pudo dibujar la vista %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The %1 view is still computing; try again in a moment.</source>
        <translation>La vista %1 todavía está calculando; inténtelo de nuevo en un momento.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nothing to export</source>
        <translation>Nada que exportar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open a model and analyse a sentence first.</source>
        <translation>Abra un modelo y analice primero una oración.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Export %1 Image</source>
        <translation>Exportar imagen de %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PNG image (*.png)</source>
        <translation>Imagen PNG (*.png)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF document (*.pdf)</source>
        <translation>Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVG drawing (*.svg)</source>
        <translation>Dibujo SVG (*.svg)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>PNG resolution</source>
        <translation>Resolución del PNG</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dots per inch:</source>
        <translation>Puntos por pulgada:</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+12"/>
        <source>Export failed</source>
        <translation>La exportación falló</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Export %1 Data</source>
        <translation>Exportar datos de %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV table (*.csv)</source>
        <translation>Tabla CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
</context>
</TS>
