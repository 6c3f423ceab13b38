<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClusterMap</name>
    <message>
        <location filename="../../desktop/ui/cluster_map.py" line="102" />
        <source>No map yet: build clusters first.</source>
        <translation>还没有地图：请先构建聚类。</translation>
    </message>
</context>
<context>
    <name>ClustersPage</name>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="47" />
        <source>Cluster</source>
        <translation>聚类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="47" />
        <source>Items</source>
        <translation>条目数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="62" />
        <source>Rebuild clusters</source>
        <translation>重建聚类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="64" />
        <source>Tag selection…</source>
        <translation>给所选加标签…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="100" />
        <source>Clusters</source>
        <translation>聚类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="101" />
        <source>Drag on the map to select many items, then tag them at once. Double-click a dot to open it in the library.</source>
        <translation>在地图上拖动可选择多个条目并一次性加标签。双击圆点可在资料库中打开。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="122" />
        <source>All items</source>
        <translation>全部条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="139" />
        <source>No clusters yet. They are built after the library's embeddings; press “Rebuild clusters” to build them now.</source>
        <translation>还没有聚类。聚类在资料库生成向量后构建；点击“重建聚类”立即构建。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="175" />
        <location filename="../../desktop/ui/clusters_view.py" line="195" />
        <source>{0} items</source>
        <translation>{0} 个条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="194" />
        <source>{0} selected on the map</source>
        <translation>地图上已选 {0} 个</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="214" />
        <source>Tag selection</source>
        <translation>给所选加标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="215" />
        <source>Tag {0} item(s) with:</source>
        <translation>给 {0} 个条目加标签：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/clusters_view.py" line="220" />
        <source>Building clusters…</source>
        <translation>正在构建聚类…</translation>
    </message>
</context>
<context>
    <name>Curator</name>
    <message>
        <location filename="../../desktop/ui/curator.py" line="37" />
        <source>Not available in this build: {0}</source>
        <translation>此版本不可用：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="58" />
        <source>Liked {0} item(s)</source>
        <translation>已喜欢 {0} 个条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="58" />
        <source>Disliked {0} item(s)</source>
        <translation>已标记 {0} 个条目为不喜欢</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="103" />
        <source>Hid {0} item(s)</source>
        <translation>已隐藏 {0} 个条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="104" />
        <source>Showing {0} item(s) again</source>
        <translation>重新显示 {0} 个条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="75" />
        <source>Undo Hide</source>
        <translation>撤销隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="75" />
        <source>Undo Show Again</source>
        <translation>撤销重新显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="87" />
        <source>Undone: {0} item(s) shown again</source>
        <translation>已撤销：{0} 个条目重新显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="88" />
        <source>Undone: {0} item(s) hidden again</source>
        <translation>已撤销：{0} 个条目重新隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="123" />
        <source>Tag accepted on {0} item(s)</source>
        <translation>已在 {0} 个条目上接受标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="124" />
        <source>Tag rejected on {0} item(s)</source>
        <translation>已在 {0} 个条目上拒绝标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="137" />
        <source>Accepted {0} suggestion(s)</source>
        <translation>已接受 {0} 条建议</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="138" />
        <source>Rejected {0} suggestion(s)</source>
        <translation>已拒绝 {0} 条建议</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="152" />
        <source>Tagged {0} item(s) “{1}”</source>
        <translation>已给 {0} 个条目加上“{1}”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="156" />
        <source>Created tag “{0}”</source>
        <translation>已创建标签“{0}”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="160" />
        <source>Renamed to “{0}”</source>
        <translation>已重命名为“{0}”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="169" />
        <source>Merged {0} tag(s)</source>
        <translation>已合并 {0} 个标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="176" />
        <source>Clusters rebuilt</source>
        <translation>聚类已重建</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="182" />
        <source>The file is gone: {0}</source>
        <translation>文件已不存在：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/curator.py" line="191" />
        <source>The folder is gone: {0}</source>
        <translation>文件夹已不存在：{0}</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="100" />
        <source>Select an item to see its details.</source>
        <translation>选择一个条目以查看详情。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="126" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="128" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="140" />
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="146" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="151" />
        <source>Duplicates of this item</source>
        <translation>此条目的重复项</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="157" />
        <source>You may also like</source>
        <translation>你可能还喜欢</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="181" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="201" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="202" />
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="203" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="204" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="205" />
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="206" />
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="207" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="208" />
        <source>Dimensions</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="209" />
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="210" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="211" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="232" />
        <source>No summary yet.</source>
        <translation>暂无摘要。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="241" />
        <source>Tags are not available in this build.</source>
        <translation>此版本不支持标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="245" />
        <source>No tags yet.</source>
        <translation>暂无标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="257" />
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="257" />
        <source>suggested</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="265" />
        <source>Accept this tag</source>
        <translation>接受此标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="270" />
        <source>Reject this tag (it will not be suggested again)</source>
        <translation>拒绝此标签（不会再次建议）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="282" />
        <source>Similar items need the embedding model.</source>
        <translation>相似条目需要向量模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="292" />
        <source>very close</source>
        <translation>非常相近</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="294" />
        <source>close</source>
        <translation>相近</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="295" />
        <source>related</source>
        <translation>相关</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="299" />
        <source>same file</source>
        <translation>同一文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="300" />
        <source>same text</source>
        <translation>文本相同</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="301" />
        <source>nearly the same text</source>
        <translation>文本几乎相同</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="288" />
        <source>Nothing close enough yet.</source>
        <translation>暂无足够相近的条目。</translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="37" />
        <source>Item</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="37" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="37" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="48" />
        <source>Duplicates</source>
        <translation>重复项</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="49" />
        <source>Files with the same or nearly the same content. Curio never deletes files: hide the copies you do not want to see.</source>
        <translation>内容相同或几乎相同的文件。Curio 从不删除文件：请隐藏您不想看到的副本。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="66" />
        <source>Group {0}: {1} copies</source>
        <translation>第 {0} 组：{1} 个副本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_view.py" line="51" />
        <source>No duplicates found.</source>
        <translation>未发现重复项。</translation>
    </message>
</context>
<context>
    <name>FailedPage</name>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="31" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="31" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="40" />
        <source>Failed files</source>
        <translation>读取失败</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="41" />
        <source>These files could not be read. Curio tries them again when they change.</source>
        <translation>这些文件无法读取。文件变更后 Curio 会再次尝试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="42" />
        <source>Every file was read.</source>
        <translation>所有文件均已读取。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="67" />
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failed_view.py" line="68" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
</context>
<context>
    <name>ForYouPage</name>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="39" />
        <source>Picked from what you opened, liked and tagged. Like, dislike or hide items to steer it.</source>
        <translation>根据您打开、喜欢和标记的内容挑选。喜欢、不喜欢或隐藏条目可调整推荐。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="44" />
        <source>Item</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="44" />
        <source>Why</source>
        <translation>推荐理由</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="44" />
        <source>Relevance</source>
        <translation>相关度</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="57" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="60" />
        <source>For you</source>
        <translation>为你推荐</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="90" />
        <source>Because you liked “{0}”</source>
        <translation>因为你喜欢“{0}”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="93" />
        <source>Tagged “{0}”, like items you liked</source>
        <translation>带有“{0}”标签，和你喜欢的条目一样</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="95" />
        <source>Often opened together with “{0}”</source>
        <translation>常与“{0}”一起打开</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="97" />
        <source>From a topic you read: {0}</source>
        <translation>来自你常读的主题：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="99" />
        <source>Something different: {0}</source>
        <translation>换换口味：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="101" />
        <source>To get you started: {0}</source>
        <translation>入门推荐：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="102" />
        <source>Something different to start with</source>
        <translation>先看点不一样的</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="121" />
        <source>How well it matches what you like, relative to the best match shown</source>
        <translation>与你喜好的匹配程度（相对于列表中最匹配的一项）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/foryou_view.py" line="126" />
        <source>Nothing to recommend yet: open, like or tag a few items first.</source>
        <translation>暂无推荐：请先打开、喜欢或标记几个条目。</translation>
    </message>
</context>
<context>
    <name>HiddenPage</name>
    <message>
        <location filename="../../desktop/ui/hidden_view.py" line="31" />
        <source>Show Again</source>
        <translation>重新显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hidden_view.py" line="32" />
        <source>Show the selected items in every view again</source>
        <translation>在所有视图中重新显示所选条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hidden_view.py" line="36" />
        <source>Hidden</source>
        <translation>已隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hidden_view.py" line="42" />
        <source>Items you hid (Delete) stay out of the library, search, similar items and recommendations until you show them again.</source>
        <translation>您隐藏的条目（Delete 键）不会出现在资料库、搜索、相似条目和推荐中，直到您重新显示它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hidden_view.py" line="44" />
        <source>Nothing is hidden.</source>
        <translation>没有隐藏的条目。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hidden_view.py" line="67" />
        <source>{0} hidden</source>
        <translation>已隐藏 {0} 个</translation>
    </message>
</context>
<context>
    <name>IndexingStatus</name>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="33" />
        <location filename="../../desktop/ui/indexing_status.py" line="58" />
        <location filename="../../desktop/ui/indexing_status.py" line="87" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="37" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="50" />
        <source>Scanning</source>
        <translation>扫描中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="50" />
        <source>Reading files</source>
        <translation>读取文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="51" />
        <source>Embedding</source>
        <translation>生成向量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="51" />
        <source>Tagging</source>
        <translation>标记中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="52" />
        <source>Summarising</source>
        <translation>生成摘要</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="52" />
        <source>Clustering</source>
        <translation>聚类中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="53" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="61" />
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="72" />
        <source>{0}: {1} / {2} · {3:.1f} files/s · ETA {4}</source>
        <translation>{0}：{1} / {2} · {3:.1f} 个文件/秒 · 剩余 {4}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="76" />
        <source>{0}: {1} files found</source>
        <translation>{0}：已找到 {1} 个文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="78" />
        <source>Paused — </source>
        <translation>已暂停 — </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="90" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/indexing_status.py" line="95" />
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>ItemModel</name>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="54" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="54" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="54" />
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="54" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="55" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="55" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/item_model.py" line="57" />
        <source>Score</source>
        <translation>得分</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../../desktop/ui/i18n.py" line="40" />
        <source>en</source>
        <comment>code of the UI language: en, zh</comment>
        <translation>zh</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <location filename="../../desktop/ui/library_view.py" line="35" />
        <source>Library</source>
        <translation>资料库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/library_view.py" line="73" />
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/library_view.py" line="103" />
        <source>{0} items</source>
        <translation>{0} 个条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/library_view.py" line="113" />
        <source>{0} results</source>
        <translation>{0} 个结果</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/library_view.py" line="115" />
        <source>Searched by words only: {0}</source>
        <translation>仅按字词搜索：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/library_view.py" line="117" />
        <source>Full-text search only: meaning-based search is not available in this build.</source>
        <translation>仅全文搜索：此版本不支持语义搜索。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="153" />
        <source>Add Folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="154" />
        <source>Add a library folder (Ctrl+O)</source>
        <translation>添加资料库文件夹 (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="156" />
        <source>Update Library</source>
        <translation>更新资料库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="157" />
        <source>Look for new and changed files</source>
        <translation>查找新增和变更的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="158" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="159" />
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="161" />
        <source>Like</source>
        <translation>喜欢</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="162" />
        <source>More like this (Ctrl+L)</source>
        <translation>更多此类 (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="164" />
        <source>Dislike</source>
        <translation>不喜欢</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="165" />
        <source>Less like this (Ctrl+D)</source>
        <translation>减少此类 (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="167" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="168" />
        <source>Hide from every view (Delete)</source>
        <translation>在所有视图中隐藏 (Delete)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="170" />
        <source>Show Again</source>
        <translation>重新显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="171" />
        <source>Show the selected hidden items in every view again (Ctrl+Shift+H)</source>
        <translation>在所有视图中重新显示所选的隐藏条目 (Ctrl+Shift+H)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="172" />
        <location filename="../../desktop/ui/main_window.py" line="565" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="174" />
        <source>Quick Look</source>
        <translation>快速查看</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="175" />
        <source>Preview the item (Space)</source>
        <translation>预览条目 (空格)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="176" />
        <source>Open File</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="177" />
        <source>Show in Folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="179" />
        <source>Tag Selection…</source>
        <translation>给所选加标签…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="180" />
        <source>Put a tag on every selected item (Ctrl+T)</source>
        <translation>给所有选中的条目加标签 (Ctrl+T)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="187" />
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="189" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="201" />
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="202" />
        <source>Multilingual when most of the library is Chinese, else English</source>
        <translation>资料库以中文为主时使用多语言模型，否则使用英文模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="203" />
        <source>English (faster)</source>
        <translation>英文（更快）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="204" />
        <source>Best for English libraries; about twice as fast</source>
        <translation>最适合英文资料库；速度约快一倍</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="205" />
        <source>Multilingual (Chinese, mixed languages)</source>
        <translation>多语言（中文、混合语言）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="206" />
        <source>Chinese and mixed libraries; finds items across languages</source>
        <translation>适合中文和混合语言资料库；可跨语言查找条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="216" />
        <source>Follow System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="216" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="217" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="230" />
        <source>Library</source>
        <translation>资料库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="230" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="230" />
        <source>Clusters</source>
        <translation>聚类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="231" />
        <source>For you</source>
        <translation>为你推荐</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="231" />
        <source>Duplicates</source>
        <translation>重复项</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="232" />
        <source>Failed files</source>
        <translation>读取失败</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="232" />
        <source>Hidden</source>
        <translation>已隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="239" />
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="257" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="260" />
        <source>Language Model</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="266" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="270" />
        <source>&amp;Item</source>
        <translation>条目(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="274" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="283" />
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="286" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="287" />
        <location filename="../../desktop/ui/main_window.py" line="611" />
        <source>About Curio</source>
        <translation>关于 Curio</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="292" />
        <source>Stopping after the current files…</source>
        <translation>处理完当前文件后停止…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="341" />
        <source>Using the {0} model; updating the library in the background…</source>
        <translation>正在使用{0}模型；正在后台更新资料库…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="389" />
        <source>Curio cannot open its catalog</source>
        <translation>Curio 无法打开目录</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="401" />
        <location filename="../../desktop/ui/main_window.py" line="510" />
        <source>{0} items</source>
        <translation>{0} 个条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="414" />
        <source>Not available in this build</source>
        <translation>此版本不可用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="423" />
        <source>Add a library folder</source>
        <translation>添加资料库文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="438" />
        <source>Welcome to Curio: opening the sample library…</source>
        <translation>欢迎使用 Curio：正在打开示例资料库…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="440" />
        <source>Added {0}</source>
        <translation>已添加 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="464" />
        <source>Indexing cancelled; finished files are kept.</source>
        <translation>索引已取消；已完成的文件会保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="467" />
        <source>Library up to date: {0} new, {1} changed, {2} could not be read</source>
        <translation>资料库已是最新：新增 {0}，变更 {1}，{2} 个无法读取</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="477" />
        <source>Indexing stopped: {0}</source>
        <translation>索引已停止：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="590" />
        <source>Tag selection</source>
        <translation>给所选加标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="591" />
        <source>Tag {0} item(s) with:</source>
        <translation>给 {0} 个条目加标签：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="612" />
        <source>&lt;h3&gt;Curio&lt;/h3&gt;&lt;p&gt;Offline content curation: tags, clusters and recommendations for your own library. Nothing leaves this computer.&lt;/p&gt;&lt;p&gt;Catalog: {0}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Curio&lt;/h3&gt;&lt;p&gt;离线内容策展：为您自己的资料库提供标签、聚类和推荐。任何数据都不会离开这台电脑。&lt;/p&gt;&lt;p&gt;目录文件：{0}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../../desktop/ui/preview_dialog.py" line="27" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview_dialog.py" line="60" />
        <source>This item has no text.</source>
        <translation>此条目没有文本。</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="31" />
        <source>Search titles and text — "exact phrase", OR, -word, pre*</source>
        <translation>搜索标题和正文 — "精确短语"、OR、-排除词、前缀*</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="35" />
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="45" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="47" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="103" />
        <source>All kinds</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="105" />
        <source>Any tag</source>
        <translation>任意标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="108" />
        <source>Any cluster</source>
        <translation>任意聚类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_bar.py" line="112" />
        <source>All folders</source>
        <translation>所有文件夹</translation>
    </message>
</context>
<context>
    <name>TagsPage</name>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="41" />
        <location filename="../../desktop/ui/tags_view.py" line="74" />
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="41" />
        <source>Items</source>
        <translation>条目数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="41" />
        <source>Suggested</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="42" />
        <source>Model suggests</source>
        <translation>模型建议</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="43" />
        <source>Let the model suggest this tag on other items</source>
        <translation>允许模型在其他条目上建议此标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="54" />
        <source>New tag…</source>
        <translation>新建标签…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="55" />
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="56" />
        <source>Merge into…</source>
        <translation>合并到…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="68" />
        <source>Your tags and the topics Curio knows</source>
        <translation>你的标签和 Curio 内置的主题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="74" />
        <source>Item</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="74" />
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="75" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="83" />
        <source>Accept selected</source>
        <translation>接受所选</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="84" />
        <source>Reject selected</source>
        <translation>拒绝所选</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="96" />
        <source>Suggestions waiting for review</source>
        <translation>待审核的标签建议</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="110" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="167" />
        <source>{0} waiting</source>
        <translation>{0} 条待审核</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="168" />
        <source>Nothing to review.</source>
        <translation>没有待审核的建议。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="173" />
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="173" />
        <source>Topic model</source>
        <translation>主题模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="174" />
        <source>Learned from your tags</source>
        <translation>从你的标签学习</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="175" />
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="185" />
        <source>Select suggestions first (Ctrl+A selects all).</source>
        <translation>请先选择建议（Ctrl+A 全选）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="200" />
        <location filename="../../desktop/ui/tags_view.py" line="204" />
        <source>New tag</source>
        <translation>新建标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="200" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="205" />
        <source>Put “{0}” under “{1}”?</source>
        <translation>将“{0}”放在“{1}”之下？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="214" />
        <source>Rename tag</source>
        <translation>重命名标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="214" />
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="228" />
        <source>Merge tags</source>
        <translation>合并标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tags_view.py" line="229" />
        <source>Merge {0} tag(s) into:</source>
        <translation>将 {0} 个标签合并到：</translation>
    </message>
</context>
</TS>