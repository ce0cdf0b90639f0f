"""What a user touches in Excel: the ``jixiao.xlam`` ribbon add-in and its entry points.

- ``jixiao.addin.ribbon``      entry points run by the ribbon buttons (``main()`` on ``xw.Book.caller()``);
- ``jixiao.addin.build_xlam``  reproducible build of ``jixiao.xlam`` from xlwings' ribbon add-in template;
- ``jixiao.addin.xlam_info``   read-only inspection of an ``.xlam`` (ribbon XML, VBA procedures, RunPython imports).
"""
