"""`usersapi proxy`: a pass-through proxy judging the traffic it forwards against the contract."""
